"""What an editor may write: every key of an article's front matter and of
a team or studio record, with its type, whether it is required and how a
translation treats it, and its name and hint for editors in both languages.

The parsers (``parse.py``, ``records.py``) take their lists of known keys
from here, and the browser editor's form (``sitegen/admin.py``) is made
from the same fields, so that a key added here is both accepted by the
build and offered in the form, with no second list to keep in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.core.model import ACTIVITY_KINDS, ARTICLE_KINDS, ASSESSMENT_AREAS, BYLINES

# What a field holds, and so how it is written and offered in a form:
#   string    one line of text             text     several lines
#   date      2020-04-27                   when     2020, 2020-04, 2020-04-27 or a range
#   year      2020                         integer  a whole number
#   boolean   true or false                choice   one of ``choices``
#   id        one id of ``refers``         ids      a list of ids of ``refers``
#   strings   a list of one-line texts     picture  a file beside the article
#   texts     a list of bilingual texts    bilingual  {zh: …, en: …} (in a record)
#   pinned    true, or the last day on top
#   objects   a list of mappings with ``fields``
KINDS = frozenset(
    {"string", "text", "date", "when", "year", "integer", "boolean", "choice", "id", "ids"}
    | {"strings", "picture", "texts", "bilingual", "pinned", "objects"}
)
# What ``refers`` names: records (a file each), and the lists of site.yaml
# and of the content folder's files
REFERS = frozenset({"teams", "studios", "towns", "categories", "series", "tags"})


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    kind: str
    label: tuple[str, str]  # (Chinese, English), as editors see it
    hint: tuple[str, str] = ("", "")
    required: bool = False
    # in an article: each language writes its own ("own"); a translation
    # that leaves it out takes the original's ("inherited"); or each
    # language's file says the same ("copied", which a form copies)
    translation: str = "own"
    choices: tuple[str, ...] = ()
    refers: str = ""
    fields: tuple[Field, ...] = ()  # of each mapping of an ``objects`` list

    def __post_init__(self) -> None:
        assert self.kind in KINDS, self.kind
        assert not self.refers or self.refers in REFERS, self.refers
        assert self.translation in ("own", "inherited", "copied"), self.translation


@dataclass(frozen=True, slots=True)
class Schema:
    name: str
    label: tuple[str, str]
    fields: tuple[Field, ...]

    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)


# what an article and each of its events may name
_KIND = Field("kind", "choice", ("类型", "Kind"), choices=ARTICLE_KINDS, translation="inherited")
_TOWN = Field("town", "id", ("镇（街道）", "Town"), refers="towns", translation="inherited")
_TEAMS = Field("teams", "ids", ("涉及的团队", "Teams"), refers="teams", translation="inherited")
_STUDIOS = Field(
    "studios", "ids", ("涉及的工作室", "Studios"), refers="studios", translation="inherited"
)
_BYLINES = {
    "author": ("作者", "Author"),
    "photographer": ("摄影", "Photographer"),
    "editor": ("编辑", "Editor"),
    "reviewer": ("审核", "Reviewer"),
}

EVENT = Schema(
    "event",
    ("大事", "Event"),
    (
        Field(
            "date", "when", ("日期", "Date"),
            ("可写到年、月或日，如 2020、2020-03、2020-04-27，或 2020-07-05/2020-07-09",
             "A year, month or day, e.g. 2020, 2020-03, 2020-04-27, or 2020-07-05/2020-07-09"),
            required=True, translation="inherited",
        ),
        Field("title", "string", ("标题", "Title"), required=True),
        _KIND,
        _TOWN,
        _TEAMS,
        _STUDIOS,
    ),
)  # fmt: skip

IMAGE = Schema(
    "image",
    ("图片", "Picture"),
    (
        Field(
            "src", "picture", ("图片文件", "Picture file"), required=True, translation="inherited"
        ),
        Field(
            "alt", "string", ("图片说明（给看不见图片的读者）", "What the picture shows"),
            ("写清图上是谁、在做什么，如“学员在社区书画班练习书法”",
             "Who is in it and what they do, e.g. “Learners practise calligraphy”"),
            required=True,
        ),
        Field("caption", "string", ("图注", "Caption")),
        Field(
            "original", "choice", ("原图处理", "The original file"),
            ("clean：去掉位置等拍摄信息（默认）；keep：原样发布",
             "clean: remove the location and camera data (default); keep: publish as it is"),
            choices=("clean", "keep"), translation="copied",
        ),
    ),
)  # fmt: skip

ARTICLE = Schema(
    "article",
    ("新闻", "News"),
    (
        Field("title", "string", ("标题", "Title"), required=True),
        Field(
            "date", "date", ("日期", "Date"), ("新闻发生或发布的日期", "The day of the news"),
            required=True, translation="inherited",
        ),
        Field(
            "slug", "string", ("网址名", "Address name"),
            ("网址的最后一段，用小写拼音或英文和连字符，如 pujiang-visit；不填则按文件名生成",
             "The last part of the address, in a-z, 0-9 and '-'; made from the file name if empty"),
            translation="copied",
        ),
        Field(
            "summary", "text", ("摘要", "Summary"),
            ("一两句话；不填则取正文第一段", "A sentence or two; the first paragraph if empty"),
        ),
        _KIND,
        _TOWN,
        _TEAMS,
        _STUDIOS,
        Field("tags", "strings", ("标签", "Topics"), refers="tags", translation="inherited"),
        Field("series", "id", ("专题", "Series"), refers="series", translation="inherited"),
        Field(
            "images", "objects", ("图片", "Pictures"),
            ("图片放在文章文件夹里；每张都要写说明",
             "Pictures go in the article's folder; each needs a description"),
            fields=IMAGE.fields,
        ),
        Field(
            "events", "objects", ("大事记条目", "Timeline entries"),
            ("文中提到的其他日期的事", "Things the report mentions on other dates"),
            fields=EVENT.fields,
        ),
        Field("source", "string", ("来源", "Source")),
        *(Field(role, "string", _BYLINES[role]) for role in BYLINES),
        Field(
            "pinned", "pinned", ("置顶到", "Pinned until"),
            ("这一天之前排在最前面", "Listed first until this day"), translation="copied",
        ),
        Field(
            "expires", "date", ("过期日期", "Expires"),
            ("通知过了这一天会标为已过期", "After this day a notice is marked as expired"),
            translation="copied",
        ),
        Field(
            "updated", "date", ("更正日期", "Corrected on"),
            ("改正内容的日期", "The day the article was corrected"),
        ),
        Field(
            "draft", "boolean", ("草稿", "Draft"),
            ("草稿不发布", "A draft is not published"), translation="copied",
        ),
        Field(
            "translated_from", "string", ("译自", "Translated from"),
            ("译文对应的原文文件名（与原文同名时不用填）",
             "The original's file name, where it is not the same as this one's"),
            translation="copied",
        ),
    ),
)  # fmt: skip

HONOUR = Schema(
    "honour",
    ("荣誉", "Honour"),
    (
        Field("year", "year", ("年份", "Year"), required=True),
        Field("title", "bilingual", ("荣誉名称", "Honour"), required=True),
        Field("by", "bilingual", ("授予单位", "Awarded by")),
        Field("date", "date", ("授予日期", "Date")),
        Field(
            "article", "string", ("公布的新闻（文件名）", "The report announcing it (file name)")
        ),
    ),
)

ACTIVITY = Schema(
    "activity",
    ("活动", "Activity"),
    (
        Field("date", "date", ("日期", "Date"), required=True),
        Field("kind", "choice", ("类型", "Kind"), choices=ACTIVITY_KINDS),
        Field("title", "bilingual", ("活动名称", "Activity"), required=True),
        Field("article", "string", ("相关新闻（文件名）", "Its report (file name)")),
    ),
)

# the four areas of the assessment standard, as the theme names them
_AREAS = {
    "leadership": ("领导管理", "Leadership and management"),
    "resources": ("条件保障", "Resources"),
    "activities": ("学习活动", "Learning activities"),
    "results": ("建设成效", "Results"),
}
ASSESSMENT = Schema(
    "assessment",
    ("年度考评", "Assessment"),
    (
        Field("year", "year", ("年份", "Year"), required=True),
        *(Field(area, "bilingual", _AREAS[area]) for area in ASSESSMENT_AREAS),
    ),
)

TEAM = Schema(
    "team",
    ("学习团队", "Teams"),
    (
        Field("name", "bilingual", ("团队名称", "Name"), required=True),
        Field("town", "id", ("镇（街道）", "Town"), refers="towns"),
        Field("category", "id", ("类别", "Kind of team"), refers="categories"),
        Field("founded", "year", ("成立年份", "Founded")),
        Field("leader", "bilingual", ("负责人", "Leader")),
        Field("members", "integer", ("成员人数", "Members")),
        Field("description", "bilingual", ("简介", "About the team")),
        Field("contact", "bilingual", ("联系方式", "Contact")),
        Field("honours", "objects", ("荣誉", "Honours"), fields=HONOUR.fields),
        Field("activities", "objects", ("活动", "Activities"), fields=ACTIVITY.fields),
        Field("assessments", "objects", ("年度考评", "Assessments"), fields=ASSESSMENT.fields),
    ),
)

REPORT = Schema(
    "report",
    ("年度总结或计划", "Report or plan"),
    (
        Field("year", "year", ("年份", "Year"), required=True),
        Field("kind", "choice", ("类型", "Kind"), choices=("report", "plan")),
        Field("summary", "bilingual", ("摘要", "Summary")),
        Field("date", "date", ("日期", "Date")),
        Field("article", "string", ("相关新闻（文件名）", "Its report (file name)")),
    ),
)

STUDIO = Schema(
    "studio",
    ("名师工作室", "Studios"),
    (
        Field("name", "bilingual", ("工作室名称", "Name"), required=True),
        Field("leader", "bilingual", ("领衔名师", "Led by")),
        Field("members", "texts", ("成员", "Members")),
        Field("focus", "bilingual", ("研究方向", "Focus")),
        Field("established", "year", ("成立年份", "Established")),
        Field("reports", "objects", ("年度总结和计划", "Reports and plans"), fields=REPORT.fields),
    ),
)

SCHEMAS = (ARTICLE, EVENT, IMAGE, TEAM, HONOUR, ACTIVITY, ASSESSMENT, STUDIO, REPORT)
