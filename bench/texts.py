"""Words for synthetic records: titles, places, people's names. Plain data."""

from __future__ import annotations

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "国建华文明志军平德荣新春秀英玉兰芳桂珍淑梅红丽静海洪庆林伟强勇峰忠义礼仁宝福贵安康家庭永长兴振中学成"

TITLES: dict[str, list[str]] = {
    "report": ["形势政策报告会", "老干部革命传统报告会", "“弘扬五四精神”报告会", "科学家精神报告会"],
    "story": ["老战士讲革命故事", "“我的入党故事”故事会", "家风家训故事会", "红色故事进校园"],
    "lecture": ["党的二十大精神宣讲", "百年党史中的青春力量", "宪法精神宣讲", "大国工匠成长之路"],
    "theme_education": ["清明祭英烈", "国家安全教育日专题活动", "“读懂中国”主题教育", "重阳敬老主题教育"],
    "essay": ["“我身边的五老”征文", "红色家书读后感征文", "“强国有我”征文"],
    "heart_talk": ["新生谈心谈话", "毕业生就业谈心", "学困生帮扶谈心"],
    "aid": ["助学金发放仪式", "爱心助学结对", "困难学生走访慰问"],
    "mentor_duty": ["青年教师导师听课", "辅导员导师座谈", "学生课外导师指导"],
    "party_talk": ["入党积极分子谈话", "预备党员谈话", "学生党支部组织生活指导"],
    "meeting": ["关工委全委会议", "季度工作例会", "年度工作部署会"],
    "training": ["五老骨干培训", "关工委秘书业务培训", "家庭教育指导培训"],
    "research": ["留守儿童情况调研", "校外辅导站运行调研", "青少年网络素养调研"],
    "station_activity": [
        "暑期书法兴趣班",
        "“小手拉大手”安全教育",
        "经典诵读会",
        "作业辅导",
        "传统节日手工课",
        "防溺水安全课",
        "电子阅览室读书活动",
    ],
    "article": ["我的入党初心", "见习手记", "一封写给未来的信", "实习路上"],
    "other": ["慰问老同志", "志愿服务活动", "关爱留守儿童"],
}
PLACES = ["会议室", "多功能厅", "报告厅", "村民活动中心", "社区党群服务中心", "校外辅导站", "图书室", "操场", "线上"]
SUMMARIES = [
    "五老骨干参加，青少年反响热烈。",
    "结合本地红色资源开展，留有照片和签到表。",
    "邀请老党员现场讲述亲身经历，学生认真记录。",
    "活动分两场进行，家长一同参加。",
]
PURPOSES = ["助学基金", "困难学生资助", "关爱留守儿童", ""]
OUTLETS = [
    ("本单位关工网站", "school"),
    ("市关工委简报", "city"),
    ("省关工委网站", "province"),
    ("中国火炬", "national"),
]

# Kinds of activity each category of committee logs, with weights.
KINDS_BY_CATEGORY: dict[str, dict[str, float]] = {
    "province": {"meeting": 3, "training": 3, "research": 2, "report": 2, "theme_education": 1},
    "city": {"meeting": 3, "training": 3, "research": 2, "report": 2, "theme_education": 1},
    "district": {"meeting": 3, "training": 3, "research": 2, "report": 2, "theme_education": 1},
    "university": {"lecture": 4, "meeting": 2, "training": 2, "research": 1, "report": 2},
    "college": {
        "lecture": 3,
        "party_talk": 3,
        "heart_talk": 2,
        "mentor_duty": 2,
        "article": 2,
        "theme_education": 1,
        "meeting": 1,
    },
    "hospital": {"lecture": 2, "mentor_duty": 2, "meeting": 1, "heart_talk": 1},
    "town": {"meeting": 3, "training": 2, "report": 2, "research": 1, "theme_education": 1, "aid": 1},
    "village": {"story": 2, "theme_education": 2, "aid": 2, "meeting": 1, "station_activity": 1, "report": 1},
    "town_school": {"theme_education": 3, "story": 2, "report": 2, "heart_talk": 2, "essay": 1, "aid": 1},
    "village_school": {"theme_education": 3, "story": 2, "report": 2, "heart_talk": 2, "essay": 1, "aid": 1},
    "college_station": {"station_activity": 8, "story": 1, "theme_education": 1},
    "village_station": {"station_activity": 8, "story": 1, "theme_education": 1, "aid": 0.5, "other": 0.3},
    "school_station": {"station_activity": 8, "story": 1, "theme_education": 1, "other": 0.3},
}
# How busy a category is, relative to a village (activities, people, news).
ACTIVITY_WEIGHT = {
    "province": 30,
    "city": 15,
    "district": 10,
    "university": 12,
    "college": 4,
    "hospital": 2,
    "town": 5,
    "college_station": 1.5,
    "town_school": 1.2,
    "village": 1,
    "village_school": 1,
    "village_station": 1.5,
    "school_station": 0.8,
}
PEOPLE_PER_COMMITTEE = {
    "province": 12,
    "city": 10,
    "district": 8,
    "university": 15,
    "college": 6,
    "hospital": 4,
    "town": 6,
    "college_station": 2,
    "town_school": 4,
    "village": 4,
    "village_school": 4,
    "village_station": 2,
    "school_station": 1,
}
# Semester rhythm: quiet in winter and summer holidays.
MONTH_WEIGHT = {1: 0.6, 2: 0.4, 3: 1.2, 4: 1.2, 5: 1.2, 6: 1.1, 7: 0.8, 8: 0.6, 9: 1.1, 10: 1.1, 11: 1.2, 12: 1.1}
