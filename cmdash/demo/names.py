"""Fictional Chinese names: people (姓+名), retailers (字号+业态) and places (地市, 片区)."""

from __future__ import annotations

import numpy as np

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
)
# Rough weights: the first surnames are far more common.
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力鹏飞宇浩然俊峰志刚永健"
    "晓东海波丹宁欣怡佳琪子涵梓轩雨欣思远博文嘉豪国庆春梅燕云亮鑫斌婷颖慧琳瑶晨旭阳凯帆"
)
SHOP_WORDS = (
    "惠民",
    "兴隆",
    "福满多",
    "万家",
    "佳佳",
    "鑫源",
    "德胜",
    "永安",
    "和顺",
    "好运来",
    "百佳",
    "利民",
    "便民",
    "金福",
    "家和",
    "富源",
    "旺旺",
    "顺发",
    "恒通",
    "喜乐",
    "吉祥",
    "众兴",
    "红星",
    "康乐",
    "宏达",
    "聚福",
    "益民",
    "新新",
    "腾飞",
    "如意",
)
PLACE_WORDS = (
    "东街",
    "西街",
    "南桥",
    "北门",
    "河口",
    "新村",
    "老街",
    "车站",
    "桥头",
    "中心",
    "学府",
    "滨江",
    "花园",
    "工业园",
    "镇上",
    "村口",
    "市场",
    "湖畔",
)
FORMAT_WORDS: dict[str, tuple[str, ...]] = {
    "便利店": ("便利店", "便利店", "24小时便利店"),
    "超市": ("超市", "购物中心", "生活超市"),
    "烟酒店": ("烟酒店", "烟酒行", "名烟名酒"),
    "食杂店": ("食杂店", "商店", "小卖部", "日杂店"),
}
REGION_NAMES = ("东川市", "西江市", "南屿市", "北原市", "青陵市")
DISTRICT_WORDS = (
    "城东",
    "城西",
    "城南",
    "城北",
    "中心",
    "新区",
    "开发区",
    "高新",
    "港区",
    "东郊",
    "西郊",
    "南郊",
    "北郊",
    "老城",
    "河西",
    "河东",
    "滨湖",
    "山前",
    "桥北",
    "站前",
)
NUMERALS = "一二三四五六七八九十"


def person_names(rng: np.random.Generator, n: int) -> list[str]:
    """n distinct names: surname weighted toward the common ones, one or two given characters."""
    weights = 1.0 / np.arange(1, len(SURNAMES) + 1) ** 0.8
    weights /= weights.sum()
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        s = SURNAMES[rng.choice(len(SURNAMES), p=weights)]
        k = 1 if rng.random() < 0.3 else 2
        g = "".join(GIVEN_CHARS[i] for i in rng.integers(0, len(GIVEN_CHARS), k))
        if s + g not in seen:
            seen.add(s + g)
            out.append(s + g)
    return out


def shop_names(rng: np.random.Generator, formats: np.ndarray) -> list[str]:
    """A trading name per retailer: 张记烟酒店, 惠民便利店, 南桥兴隆超市 …"""
    n = len(formats)
    style = rng.integers(0, 3, n)
    sur = rng.integers(0, 40, n)  # the common surnames
    word = rng.integers(0, len(SHOP_WORDS), n)
    place = rng.integers(0, len(PLACE_WORDS), n)
    pick = rng.integers(0, 12, n)
    out = []
    for i in range(n):
        suffixes = FORMAT_WORDS[formats[i]]
        suffix = suffixes[pick[i] % len(suffixes)]
        if style[i] == 0:
            out.append(f"{SURNAMES[sur[i]]}记{suffix}")
        elif style[i] == 1:
            out.append(f"{SHOP_WORDS[word[i]]}{suffix}")
        else:
            out.append(f"{PLACE_WORDS[place[i]]}{SHOP_WORDS[word[i]]}{suffix}")
    return out


def district_names(region: str, count: int) -> list[str]:
    """片区 names inside one 地市: town quarters first, then numbered rural 乡镇 areas."""
    short = region.removesuffix("市")
    names = [f"{short}{w}片区" for w in DISTRICT_WORDS[:count]]
    for i in range(count - len(names)):
        names.append(f"{short}乡镇{NUMERALS[i % 10]}{'' if i < 10 else i // 10 + 1}片区")
    return names
