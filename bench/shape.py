"""The shape of a synthetic province: which committees exist, where they hang, what they are called.

A province committee has cities and universities below it; a city has districts,
a district towns (街道/镇), a town villages and communities and a few schools, a
village schools and tutoring stations, a village school its own stations: seven
levels (0–6). A university has colleges and affiliated hospitals, a college a
tutoring station. Each level's size is a share of the requested total, so the
tree has exactly the requested number of committees at any size; fan-out varies
per parent like real districts do (some towns have 5 villages, others 30).

The materialised-path columns of django-treebeard (`path`, `depth`,
`numchild`) are computed here in one pass, siblings in code order (the order
`orgs.tree.rebuild()` gives a tree written in bulk), each step as
`orgs.tree.step` writes it, below a root path the caller picks (the next free
root of the database). The writer copies them as they are, never placing
100,000 committees one at a time through treebeard.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from orgs import tree as tree_paths
from orgs.models import CommitteeKind

MIN_COMMITTEES = 40

CITIES = [
    ("南京市", "NJ"),
    ("无锡市", "WX"),
    ("徐州市", "XZ"),
    ("常州市", "CZ"),
    ("苏州市", "SZ"),
    ("南通市", "NT"),
    ("连云港市", "LYG"),
    ("淮安市", "HA"),
    ("盐城市", "YC"),
    ("扬州市", "YZ"),
    ("镇江市", "ZJ"),
    ("泰州市", "TZ"),
    ("宿迁市", "SQ"),
]
PLACE_CHARS = (
    "清江浦涟水盱眙金湖洪泽淮阴长西柳树湾和平钵池宁连白马湖城南河下古镇新安东园西坝山阳平桥"
    "龙泉松柏桃李杏花枫林石塘青云凤凰丰乐永安兴隆太平双桥三河五里七星九龙高庄大营小圩"
)
COLLEGES = [
    "机电工程学院",
    "汽车工程学院",
    "控制技术学院",
    "物联网技术学院",
    "管理学院",
    "外国语学院",
    "护理学院",
    "基础医学院",
    "针灸康复临床医学院",
    "马克思主义学院",
    "艺术设计学院",
    "体育学院",
    "经济学院",
    "文学院",
    "化学化工学院",
    "土木工程学院",
]


@dataclass(frozen=True)
class Category:
    name: str
    kind: str
    parent: str | None
    share: float  # of the total; the last category takes what is left
    minimum: int
    maximum: int | None = None
    every_parent: bool = False  # every parent gets at least one child


CATEGORIES = [
    Category("province", CommitteeKind.PROVINCE, None, 0, 1, 1),
    Category("city", CommitteeKind.CITY, "province", 0.00013, 1, len(CITIES)),
    Category("university", CommitteeKind.UNIVERSITY, "province", 0.0008, 1),
    Category("district", CommitteeKind.DISTRICT, "city", 0.001, 1, every_parent=True),
    Category("college", CommitteeKind.COLLEGE, "university", 0.012, 2, every_parent=True),
    Category("hospital", CommitteeKind.HOSPITAL, "university", 0.0016, 1),
    Category("town", CommitteeKind.TOWN, "district", 0.012, 2, every_parent=True),
    Category("college_station", CommitteeKind.STATION, "college", 0.006, 1),
    Category("town_school", CommitteeKind.SCHOOL, "town", 0.02, 1),
    Category("village", CommitteeKind.VILLAGE, "town", 0.17, 4, every_parent=True),
    Category("village_school", CommitteeKind.SCHOOL, "village", 0.25, 4),
    Category("village_station", CommitteeKind.STATION, "village", 0.2, 3),
    Category("school_station", CommitteeKind.STATION, "village_school", 0, 1),
]
CATEGORY_INDEX = {c.name: i for i, c in enumerate(CATEGORIES)}


@dataclass
class Tree:
    """Parallel lists, one entry per committee, in id order (parents before children)."""

    category: list[int] = field(default_factory=list)
    parent: list[int] = field(default_factory=list)  # index, -1 for the root
    code: list[str] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    level: list[int] = field(default_factory=list)  # 0 for the root; treebeard's `depth` is level + 1
    path: list[str] = field(default_factory=list)
    numchild: list[int] = field(default_factory=list)
    students: list[int] = field(default_factory=list)
    retirees: list[int] = field(default_factory=list)
    staff: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.code)

    def kind(self, i: int) -> str:
        return CATEGORIES[self.category[i]].kind

    def indices_of(self, category: str) -> list[int]:
        wanted = CATEGORY_INDEX[category]
        return [i for i, c in enumerate(self.category) if c == wanted]

    @property
    def depth(self) -> int:
        """How many levels the tree has."""
        return max(self.level) + 1

    def descendants(self) -> list[int]:
        """How many committees lie below each committee (parents come before their children)."""
        below = [0] * len(self)
        for i in range(len(self) - 1, 0, -1):
            parent = self.parent[i]
            if parent >= 0:
                below[parent] += below[i] + 1
        return below


def category_sizes(total: int) -> list[int]:
    """How many committees of each category a province of `total` committees has."""
    if total < MIN_COMMITTEES:
        raise ValueError(f"a synthetic province needs at least {MIN_COMMITTEES} committees")
    sizes = []
    for cat in CATEGORIES[:-1]:
        n = max(cat.minimum, round(cat.share * total))
        if cat.maximum is not None:
            n = min(n, cat.maximum)
        sizes.append(n)
    rest = total - sum(sizes)
    if rest < CATEGORIES[-1].minimum:
        raise ValueError(f"a synthetic province needs at least {MIN_COMMITTEES} committees")
    sizes.append(rest)
    return sizes


def _place(rng: random.Random) -> str:
    return rng.choice(PLACE_CHARS) + rng.choice(PLACE_CHARS)


def _assign_parents(rng: random.Random, parents: list[int], count: int, every_parent: bool) -> list[int]:
    """Parents for `count` children: uneven fan-out (log-normal weights), optionally nobody left out."""
    weights = [rng.lognormvariate(0, 0.6) for _ in parents]
    chosen: list[int] = []
    if every_parent and count >= len(parents):
        chosen.extend(parents)
    chosen.extend(rng.choices(parents, weights=weights, k=count - len(chosen)))
    chosen.sort()  # children of one parent are created together, like a real import
    return chosen


def _describe(cat: Category, rng: random.Random, number: int, parent_code: str) -> tuple[str, str]:
    """(code, name) of the `number`-th child of its category under one parent."""
    place = _place(rng)
    match cat.name:
        case "province":
            return "P", "江苏省关心下一代工作委员会"
        case "city":
            city, abbr = CITIES[number - 1]
            return f"P-{abbr}", f"{city}关工委"
        case "university":
            suffix = rng.choice(["大学", "师范大学", "职业技术学院", "医科大学", "理工学院"])
            return f"P-U{number:02d}", f"{place}{suffix}关工委"
        case "district":
            return f"{parent_code}-D{number:02d}", f"{place}{rng.choice(['区', '县', '区'])}关工委"
        case "college":
            return f"{parent_code}-C{number:02d}", f"{COLLEGES[(number - 1) % len(COLLEGES)]}关工分委"
        case "hospital":
            return f"{parent_code}-H{number}", f"附属{place}医院关工委"
        case "town":
            return f"{parent_code}-T{number:02d}", f"{place}{rng.choice(['镇', '街道', '镇'])}关工委"
        case "village":
            return f"{parent_code}-V{number:03d}", f"{place}{rng.choice(['村', '社区', '村'])}关工委"
        case "town_school" | "village_school":
            suffix = rng.choice(["小学", "中学", "实验学校", "小学"])
            return f"{parent_code}-S{number}", f"{place}{suffix}关工委"
        case _:  # tutoring stations
            return f"{parent_code}-Z{number}", f"{place}校外辅导站"


def _headcounts(kind: str, rng: random.Random) -> tuple[int, int, int]:
    """(students, retirees, staff): what targets divide by."""
    match kind:
        case CommitteeKind.UNIVERSITY:
            return rng.randint(8000, 32000), rng.randint(300, 1500), rng.randint(800, 3000)
        case CommitteeKind.COLLEGE:
            return rng.randint(600, 3500), rng.randint(20, 120), rng.randint(60, 250)
        case CommitteeKind.HOSPITAL:
            return rng.randint(0, 400), rng.randint(50, 300), rng.randint(500, 2500)
        case CommitteeKind.SCHOOL:
            return rng.randint(200, 2500), rng.randint(5, 60), rng.randint(20, 200)
        case CommitteeKind.VILLAGE | CommitteeKind.TOWN:
            return 0, rng.randint(10, 300), 0
        case _:
            return 0, 0, 0


def build_tree(total: int, seed: int = 7, root_path: str = tree_paths.step(1)) -> Tree:
    """A province of exactly `total` committees, deterministic for a seed, its root at `root_path`."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    sizes = category_sizes(total)
    tree = Tree()
    members: dict[str, list[int]] = {}
    for ci, (cat, size) in enumerate(zip(CATEGORIES, sizes, strict=True)):
        if cat.parent is None:
            parents = [-1] * size
        else:
            parents = _assign_parents(rng, members[cat.parent], size, cat.every_parent)
        numbers: dict[int, int] = {}
        start = len(tree)
        for parent in parents:
            numbers[parent] = numbers.get(parent, 0) + 1
            parent_code = tree.code[parent] if parent >= 0 else ""
            code, name = _describe(cat, rng, numbers[parent], parent_code)
            students, retirees, staff = _headcounts(cat.kind, rng)
            tree.category.append(ci)
            tree.parent.append(parent)
            tree.code.append(code)
            tree.name.append(name)
            tree.level.append(0 if parent < 0 else tree.level[parent] + 1)
            tree.students.append(students)
            tree.retirees.append(retirees)
            tree.staff.append(staff)
        members[cat.name] = list(range(start, len(tree)))
    _number_paths(tree, root_path)
    return tree


def _number_paths(tree: Tree, root_path: str) -> None:
    """path and numchild, siblings in code order; every path starts with `root_path`."""
    if len(root_path) != tree_paths.STEP or any(ch not in tree_paths.ALPHABET for ch in root_path):
        raise ValueError(f"not a root path: {root_path!r}")
    children: list[list[int]] = [[] for _ in range(len(tree))]
    roots = []
    for i, p in enumerate(tree.parent):
        (children[p] if p >= 0 else roots).append(i)
    if len(roots) != 1:
        raise ValueError("a synthetic province has exactly one root")
    code = tree.code
    steps = [""] + [tree_paths.step(k) for k in range(1, max(map(len, children)) + 1)]
    path = [""] * len(tree)
    path[roots[0]] = root_path
    # Parents come before their children in index order, so one forward pass sees each parent's path first.
    for node, kids in enumerate(children):
        if len(kids) > 1:
            kids.sort(key=code.__getitem__)
        prefix = path[node]
        for position, kid in enumerate(kids, start=1):
            path[kid] = prefix + steps[position]
    tree.path = path
    tree.numchild = [len(kids) for kids in children]
