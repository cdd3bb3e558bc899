from __future__ import annotations

from pathlib import Path

from flows.records import Post, Reason, Rejection
from flows.settings import Settings
from flows.sources import collect


def test_bundled_samples_are_collected_as_their_readme_says():
    settings = Settings()
    items = [item for source in settings.sources for item in collect(source, settings.http)]

    posts = {Path(item.location).name: item for item in items if isinstance(item, Post)}
    rejections = {Path(item.location).name: item for item in items if isinstance(item, Rejection)}
    # 17 files and 3 JSONL lines in posts/, 8 feed items; only the layout-only archive page has no text
    assert (len(posts), len(rejections)) == (26, 1)
    assert all(post.title and post.published_at for post in posts.values())
    assert [rejection.reason for rejection in rejections.values()] == [Reason.EMPTY]
    assert "pagina-archivio-novembre.html" in rejections

    broken = posts["distretto-mobile-brianza-ordini.html"]
    assert broken.title == "Distretto del mobile, ordini in ripresa in Brianza: +8% nel terzo trimestre"
    assert broken.author == "Alessandro Cazzaniga"
    assert "hanno chiuso 74 botteghe del legno" in broken.text

    original, copy = posts["acquisizione-meccanica-lissone.md"], posts["kessler-meccanica-lissone-copia.txt"]
    assert copy.text == original.text and copy.title == original.title
    assert original.url and copy.url is None
    lines = [line for post in posts.values() for line in post.text.splitlines()]
    assert not [line for line in lines if line.startswith(("---", "title:", "date:", "author:"))]

    mojibake = posts["vigevano-calzaturiero-dazi.txt"]
    assert "già 300 posti" in mojibake.title and "la città rischia" in mojibake.text
