"""Fixed facts of the demo: committees, people and texts taken from the seed documents.

Seed 001 (无锡职业技术学院 2022 工作要点): the university, its member units (委员单位)
and the 第十片 it leads. Seed 002 (针灸康复临床医学院 五好 实施方案): the college's
office and its named leaders. Seed 003 (清江浦区关工委): 16 towns/streets, 110
villages/communities, 25 schools, tutoring stations in 9 towns and 36 villages.
"""

from __future__ import annotations

from datetime import date

from orgs.models import CommitteeKind, GrantRole, MemberRole, WulaoCategory

DEMO_PASSWORD = "guanwei-demo"  # noqa: S105 - the published password of the demo accounts

# --- Jiangsu: the province, 无锡职业技术学院 and the universities of 第十片 -------------

JS_CODE = "JS"
WXIT_CODE = "WXIT"

# (code suffix, name, students, retirees, staff)
WXIT_COLLEGES = [
    ("JD", "机电技术学院", 2100, 110, 160),
    ("KZ", "控制技术学院", 2000, 95, 150),
    ("WLW", "物联网技术学院", 2200, 70, 170),
    ("QC", "汽车技术学院", 1700, 80, 130),
    ("GL", "管理学院", 1800, 75, 140),
    ("WY", "外国语学院", 800, 40, 70),
    ("YS", "艺术设计学院", 1400, 45, 110),
    ("JCB", "基础课部", 0, 60, 120),
    ("MY", "马克思主义学院", 0, 25, 60),
]

# Other universities of 江苏高校关工委第十片: (code, name, students, retirees, staff)
GROUP_10_UNIVERSITIES = [
    ("JSIT", "江苏信息职业技术学院关工委", 12500, 420, 760),
    ("WXSY", "无锡商业职业技术学院关工委", 13000, 380, 820),
    ("WXCS", "无锡城市职业技术学院关工委", 9800, 450, 690),
    ("WXGY", "无锡工艺职业技术学院关工委", 8600, 360, 610),
]

GROUP_10_NAME = "江苏高校关工委第十片"
GROUP_10_NOTES = (
    "按照省教育系统关工委对全省高校关工委活动片学校重新划分安排，无锡职业技术学院为第十片牵头组长学校："
    "搭建新十片信息交流平台，组织片内学校开好工作会议、交流工作经验，"
    "向省教育关工委通报本片工作情况，完成片内高校关工委优质化建设均衡发展申报材料的集体考核评议。"
)

# 委员单位 of 无锡职业技术学院关工委 (seed 001: 办公室、组织、宣传、学工、教务、质控、财务、人事、工会、团委).
WXIT_MEMBER_UNITS = [
    ("办公室", "将关工委工作纳入学校年度工作计划；协调会议安排、文件收发和档案管理。"),
    ("组织部", "指导二级学院关工委组织建设；选聘和管理特邀党建组织员，协助做好学生和青年教职工党建工作。"),
    ("宣传部", "宣传关工委工作和优秀“五老”事迹；支持网上关工委建设，配好宣传通讯员。"),
    ("学工处", "提供学生“需求菜单”；配合开展思想政治教育、心理健康和“阳光屋”“谈心屋”关爱帮扶。"),
    ("教务处", "支持“老教授导师制”和“名师工作室”；组织老教师参与教学督导和“青蓝工程”。"),
    ("质控处", "将委员单位助力关工委工作纳入考核目标；配合优质化建设均衡发展的考核评议。"),
    ("财务处", "落实关工委工作经费；管理关心下一代助学资金的收支。"),
    ("人事处", "推荐当年退休的优秀教师参与关工委工作；配合关心青年教师成长。"),
    ("工会", "协同组织离退休老同志和在职教工参与关爱帮扶和助学捐款。"),
    ("团委", "联合开展“读懂中国”、红色之旅等主题教育；组织学生社团参与党史教育“三进”和讲师团宣讲。"),
]

# --- Guangdong: the province, 广州中医药大学, its colleges and hospitals ---------------

GD_CODE = "GD"
GZUCM_CODE = "GZUCM"
ZJ_CODE = "GZUCM-ZJ"
JC_CODE = "GZUCM-JC"

# (code suffix, name, students, retirees, staff)
GZUCM_COLLEGES = [
    ("ZJ", "针灸康复临床医学院", 1800, 60, 150),
    ("JC", "基础医学院", 1500, 85, 180),
    ("LC1", "第一临床医学院", 3200, 70, 210),
    ("LC2", "第二临床医学院", 2600, 55, 160),
    ("ZY", "中药学院", 2100, 90, 170),
    ("HL", "护理学院", 1900, 35, 110),
    ("GW", "公共卫生与管理学院", 1700, 40, 120),
    ("XX", "医学信息工程学院", 1400, 30, 90),
    ("MY", "马克思主义学院", 0, 20, 60),
]

# (code suffix, name, retirees, staff)
GZUCM_HOSPITALS = [
    ("H1", "第一附属医院", 620, 3800),
    ("H2", "第二附属医院", 900, 5200),
    ("H3", "第三附属医院", 150, 1600),
]

ZJ_OFFICE = "针灸楼325"
ZJ_FOUNDED = date(2017, 1, 1)  # 创建阶段 2017–2019 of the 五好 plan (seed 002)

# --- Huai'an: the city, 清江浦区 and everything below it -------------------------------

HA_CODE = "HA"
QJP_CODE = "QJP"

# (name, is a street 街道 rather than a town 镇, villages/communities under it)
QJP_TOWNS = [
    ("长西街道", True, 7),
    ("淮海街道", True, 8),
    ("长东街道", True, 6),
    ("清河街道", True, 7),
    ("柳树湾街道", True, 6),
    ("水渡口街道", True, 7),
    ("白鹭湖街道", True, 6),
    ("闸口街道", True, 8),
    ("清江街道", True, 6),
    ("浦楼街道", True, 7),
    ("清浦街道", True, 7),
    ("城南街道", True, 6),
    ("盐河镇", False, 8),
    ("武墩镇", False, 7),
    ("和平镇", False, 7),
    ("黄码镇", False, 7),
]

# Seed 003: two streets have a retired community party secretary as executive
# deputy director; the other 14 a retired section-level cadre.
QJP_STREETS_WITH_COMMUNITY_SECRETARY = {"清河街道", "白鹭湖街道"}

# Seed 003: stations were equipped in 9 towns and 36 villages (4 villages each).
QJP_TOWNS_WITH_STATIONS = (1, 2, 4, 6, 8, 10, 13, 14, 15)
QJP_STATIONS_PER_TOWN = 4

# Place names for communities (streets) and villages (towns): distinct, local-sounding.
COMMUNITY_NAMES = (
    "越河 东大街 石码头 都天庙 环城 人民南路 承德路 健康 北门 南门 西坝 清隆 御河 里运 淮海 翔宇 钵池 双拥 景会 枫林 "
    "交通路 西安路 北京路 天津路 圩北 圩南 新民 永安 长乐 长征 幸福 东风 新华 繁荣 胜利 光明 友谊 育才 文化 解放 "
    "团结 前进 向阳 银杏 桃园 荷花 运河 清风 明远 富康 汇通 水门桥 花街 慈云 文渠 澄观 楚秀 大治 新城 锦绣 "
    "柳湾 湖滨 安澜 惠民 仁和 怡园 东湖 绿洲 白鹭 清安 茶庵 若飞 中洲 古淮 漕运 盛世 万达 金鹰 海棠 书香 "
    "华庭 水岸"
).split()
VILLAGE_NAMES = (
    "丁庄 王庄 李庄 张庄 陈庄 周庄 刘圩 徐圩 高圩 杨圩 韩桥 谢庄 朱桥 许渡 顺河 荡北 荡南 淮丰 果林 新庄 "
    "新河 兴隆 富民 金港 王营 三树 汤集 蒋桥 孙湾 曹舍 于湾 赵集 沈渡 袁集 戴楼 薛庄 卢湾 葛桥 姚庄 邵集"
).split()

# 25 schools (seed 003), each attached to a town: (town number, name, students, retirees, staff)
QJP_SCHOOLS = [
    (1, "清江浦区实验小学", 2600, 45, 150),
    (1, "淮安市长征小学", 1900, 38, 110),
    (2, "清江浦区淮海路小学", 2100, 40, 120),
    (2, "清江浦区特殊教育学校", 180, 12, 60),
    (3, "清江浦区长东小学", 1500, 30, 90),
    (4, "清江浦区清河中学", 1800, 52, 140),
    (4, "清江浦区人民小学", 1700, 35, 100),
    (5, "清江浦区柳树湾小学", 1200, 22, 75),
    (6, "清江浦区水渡口小学", 1600, 25, 95),
    (7, "清江浦区白鹭湖中学", 1400, 18, 105),
    (8, "清江浦区闸口小学", 1300, 28, 80),
    (9, "清江浦区清江小学", 1500, 33, 90),
    (10, "清江浦区浦楼中学", 1600, 41, 120),
    (11, "清江浦区清浦中学", 1900, 56, 150),
    (12, "清江浦区城南中学", 1700, 47, 130),
    (12, "清江浦区城南中心小学", 1400, 30, 85),
    (13, "盐河镇中心小学", 900, 26, 60),
    (13, "盐河初级中学", 800, 31, 70),
    (14, "武墩镇中心小学", 850, 24, 58),
    (14, "武墩初级中学", 760, 29, 66),
    (15, "和平镇中心小学", 820, 22, 55),
    (15, "和平初级中学", 700, 27, 62),
    (16, "黄码镇中心小学", 650, 20, 48),
    (16, "黄码初级中学", 600, 25, 55),
    (10, "清江浦区浦楼小学", 1100, 19, 70),
]

# --- Accounts ----------------------------------------------------------------------------

# (username, first name, role or None for the system administrator, committee codes, what it is for)
ACCOUNTS = [
    ("admin", "系统管理员", None, (), "system administrator (superuser): maintains the tree, users, rubrics"),
    ("sec_college", "王老师", GrantRole.SECRETARY, (ZJ_CODE,), "secretary of 针灸康复临床医学院关工分委"),
    ("sec_sibling", "赵老师", GrantRole.SECRETARY, (JC_CODE,), "secretary of 基础医学院关工分委 (the outsider)"),
    ("leader", "陈书记", GrantRole.LEADER, (GZUCM_CODE,), "leader of 广州中医药大学关工委"),
    (
        "reviewer",
        "考评员",
        GrantRole.REVIEWER,
        (JS_CODE, GD_CODE, HA_CODE),
        "reviewer across 江苏省, 广东省 and 淮安市 (read-only)",
    ),
    ("sec_wuxi", "周老师", GrantRole.SECRETARY, (WXIT_CODE,), "secretary of 无锡职业技术学院关工委"),
    ("leader_wuxi", "钱书记", GrantRole.LEADER, (WXIT_CODE,), "leader of 无锡职业技术学院关工委"),
    ("sec_qjp", "刘主任", GrantRole.SECRETARY, (QJP_CODE,), "secretary of 清江浦区关工委"),
    ("sec_town", "孙老师", GrantRole.SECRETARY, ("QJP-T01",), "secretary of 长西街道关工委"),
]

# --- People ----------------------------------------------------------------------------

# How the leaders of each kind of committee are usually described.
# kind -> (director titles, director retired?, executive deputy titles, secretary role, secretary titles)
LEADERSHIP = {
    CommitteeKind.PROVINCE: (
        ["原省教育厅副厅长（退休）"],
        True,
        ["原省教育厅处长（退休）", "原省委教育工委副巡视员（退休）"],
        MemberRole.SECRETARY,
        ["秘书处秘书"],
    ),
    CommitteeKind.CITY: (
        ["原市政协副主席（退休）"],
        True,
        ["原市教育局局长（退休）"],
        MemberRole.SECRETARY,
        ["市关工委办公室科员"],
    ),
    CommitteeKind.DISTRICT: (
        ["原区人大常委会副主任（退休）"],
        True,
        ["原区教育局局长（退休）"],
        MemberRole.SECRETARY,
        ["区关工委办公室主任"],
    ),
    CommitteeKind.UNIVERSITY: (
        ["原校党委副书记（退休）", "原副校长（退休）"],
        True,
        ["原校工会主席（退休）", "原党委组织部部长（退休）"],
        MemberRole.SECRETARY,
        ["离退休工作处科长", "离退休工作处副处长"],
    ),
    CommitteeKind.COLLEGE: (
        ["学院党委书记", "学院党总支书记"],
        False,
        ["退休教师（原系主任）", "退休教授（原教研室主任）"],
        MemberRole.SECRETARY,
        ["学工办主任", "学工办副主任"],
    ),
    CommitteeKind.HOSPITAL: (
        ["医院党委副书记"],
        False,
        ["原医院副院长（退休）", "原医院工会主席（退休）"],
        MemberRole.SECRETARY,
        ["离退休工作办公室主任"],
    ),
    CommitteeKind.SCHOOL: (
        ["校长", "党支部书记"],
        False,
        ["退休教师（原副校长）", "退休教师（原教导主任）"],
        MemberRole.LIAISON,
        ["德育处主任", "少先队大队辅导员", "团委书记"],
    ),
    CommitteeKind.STATION: (
        ["辅导站站长"],
        False,
        ["退休教师"],
        MemberRole.LIAISON,
        ["社区工作者"],
    ),
}

WULAO_NOTES = {
    WulaoCategory.CADRE: ["擅长党史宣讲", "曾任村党支部书记", "熟悉社区工作", "参与“零犯罪”社区创建"],
    WulaoCategory.SOLDIER: ["参加过对越自卫反击战", "常为学生讲革命故事", "退役军人，擅长国防教育"],
    WulaoCategory.EXPERT: ["担任教学督导", "参与“老教授导师制”", "指导学生科技创新", "名师工作室成员"],
    WulaoCategory.TEACHER: ["退休前任语文教师", "书法特长，指导书法兴趣班", "擅长心理疏导", "退休前任班主任三十年"],
    WulaoCategory.MODEL: ["全国劳动模范", "省级道德模范", "市“最美五老”", "“感动淮安”人物"],
}

# Category weights of the 五老 registry by kind of committee.
WULAO_MIX = {
    "education": [
        (WulaoCategory.TEACHER, 5),
        (WulaoCategory.EXPERT, 4),
        (WulaoCategory.CADRE, 2),
        (WulaoCategory.SOLDIER, 1),
        (WulaoCategory.MODEL, 1),
    ],
    "local": [
        (WulaoCategory.CADRE, 5),
        (WulaoCategory.TEACHER, 3),
        (WulaoCategory.SOLDIER, 2),
        (WulaoCategory.MODEL, 1),
        (WulaoCategory.EXPERT, 1),
    ],
}

# Size of the 五老 registry (min, max) by kind.
REGISTRY_SIZE = {
    CommitteeKind.PROVINCE: (5, 7),
    CommitteeKind.CITY: (5, 7),
    CommitteeKind.DISTRICT: (8, 10),
    CommitteeKind.TOWN: (5, 9),
    CommitteeKind.VILLAGE: (3, 6),
    CommitteeKind.SCHOOL: (3, 6),
    CommitteeKind.STATION: (1, 3),
    CommitteeKind.UNIVERSITY: (16, 24),
    CommitteeKind.COLLEGE: (8, 14),
    CommitteeKind.HOSPITAL: (8, 12),
}

LOCAL_KINDS = {CommitteeKind.CITY, CommitteeKind.DISTRICT, CommitteeKind.TOWN, CommitteeKind.VILLAGE}
