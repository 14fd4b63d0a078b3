"""Plausible Chinese personal names for generated demo people.

Surnames follow their rough frequency, with a regional flavour (Jiangsu or
Guangdong); given names follow the fashion of the person's birth decade.
"""

from __future__ import annotations

import random

# Common surnames with rough weights ("王10" = ten tickets in the draw).
_JIANGSU = (
    "王10 张9 李9 刘7 陈7 徐6 朱5 周5 孙5 吴5 杨4 顾3 沈3 钱3 陆3 蒋3 胡3 高3 许3 黄3 赵3 丁2 葛2 姚2 秦2 薛2 "
    "卢2 曹2 严2 戴2 于1 邵1 袁1 汤1 韩1 蔡1 范1 唐1 程1 马1 仲1 缪1 尤1 华1 浦1"
)
_GUANGDONG = (
    "陈10 李8 黄8 张5 梁5 林5 刘4 何4 罗4 郑4 谢3 吴3 冯3 钟3 王3 杨3 邓3 叶3 曾3 赖2 蔡2 朱2 许2 苏2 周2 卢2 "
    "彭2 潘2 肖2 温2 欧1 莫1 关1 麦1 邱1 古1 植1 伍1 区1 谭1 方1 余1 戴1 廖1 江1"
)


def _weighted(spec: str) -> str:
    return "".join(item[0] * int(item[1:]) for item in spec.split())


SURNAMES_JIANGSU = _weighted(_JIANGSU)
SURNAMES_GUANGDONG = _weighted(_GUANGDONG)
GIVEN_OLD_MALE = (
    "建国 建华 建军 国强 国庆 国华 志明 志强 志刚 德明 德华 文斌 文华 永康 永明 卫东 卫国 向东 振华 振国 长林 "
    "长青 宝林 春生 家祥 福生 金生 光明 学文 学军 立新 胜利 庆丰 荣华 世昌 炳南 炳坤 汉民 兴华 树林 玉成 瑞林 "
    "雨生 正清 明德 善初 守仁 克勤 广才 启明 中华 援朝 跃华 根生 锦华 绍基 家驹 伟民 耀明 汝昌 少华 伯年 瑞祥"
).split()
GIVEN_OLD_FEMALE = (
    "秀英 桂英 秀兰 桂兰 玉兰 玉珍 凤英 淑珍 淑芬 素珍 美华 丽华 爱华 红梅 秀珍 金凤 翠英 月娥 惠芳 素芳 建英 "
    "玉梅 桂芳 秋菊 冬梅 春兰 彩霞 佩华 瑞芬 慧敏 雪梅 玉华 兰芳 碧云 婉华 丽君 菊芬 琼华 丽珍 卫红 小平 亚萍"
).split()
GIVEN_MID_MALE = (
    "海峰 伟 勇 军 斌 涛 磊 鹏 浩 剑 峰 晓东 建平 俊杰 宏伟 志勇 永刚 明辉 立军 卫华 旭东 海涛 晓明 文杰 正阳 "
    "国栋 宏亮 家豪 振宇 卫星 长江 东升 建新 少军 云飞"
).split()
GIVEN_MID_FEMALE = (
    "丽 艳 静 敏 燕 霞 娟 晓燕 晓红 雪莲 慧 颖 文静 丽娟 海燕 春燕 晓雯 红霞 玉洁 晓琳 丽萍 雅琴 素梅 婷 洁 "
    "秀梅 美玲 晓梅 莉 虹"
).split()
GIVEN_YOUNG_MALE = "子涵 浩然 宇轩 思远 一鸣 俊熙 子豪 天宇 博文 晨阳 嘉豪 梓轩 皓宇 明哲 铭泽 睿 昊 航 越 凯".split()
GIVEN_YOUNG_FEMALE = (
    "欣怡 梓萱 雨桐 佳琪 嘉怡 婧 璐 晨 悦 诗涵 语嫣 可欣 思彤 雅婷 梦瑶 紫琪 一诺 心怡 晓彤 雨欣".split()
)


def surnames_for(region: str) -> str:
    return SURNAMES_GUANGDONG if region == "guangdong" else SURNAMES_JIANGSU


def given_name(rng: random.Random, gender: str, birth_year: int) -> str:
    male = gender == "M"
    if birth_year < 1963:
        pool = GIVEN_OLD_MALE if male else GIVEN_OLD_FEMALE
    elif birth_year < 1988:
        pool = GIVEN_MID_MALE if male else GIVEN_MID_FEMALE
    else:
        pool = GIVEN_YOUNG_MALE if male else GIVEN_YOUNG_FEMALE
    return rng.choice(pool)


def person_name(
    rng: random.Random, *, region: str, gender: str, birth_year: int, taken: set[str], surname: str = ""
) -> str:
    """A name not yet in `taken` (names are unique within one committee's registry)."""
    surnames = surname or surnames_for(region)
    for _attempt in range(50):
        name = rng.choice(surnames) + given_name(rng, gender, birth_year)
        if name not in taken:
            taken.add(name)
            return name
    # Practically unreachable with these pools; keep the name unique all the same.
    name = f"{rng.choice(surnames)}{given_name(rng, gender, birth_year)}{len(taken)}"
    taken.add(name)
    return name
