"""The docs stay true: every shown command answers, and every shown output is what the service says.

A shown output may leave parts out with `…` (and a note such as `…9 URLs`); every other character
must stand in the real answer, in order.
"""

import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.config import ROOT, Settings
from app.main import create_app

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# `$ curl` and what it shows: -si with the headers, -sI the headers of a HEAD, -sO a download (nothing
# shown); piped to jq for the sentence, to grep for some lines, or followed by another command.
COMMAND = re.compile(
    r"^\$ curl -s([iIO]?) '?(?:http://)?(?:localhost|127\.0\.0\.1):8000(/[^' ]*)'?"
    r"( \| jq -r \.data\.sentence| \| grep .*| && .*)?$"
)
# A one-line example, without its output: `curl -s [-H 'Name: value'] [-O -J] URL`.
CURL_LINE = re.compile(r"curl -s\w*((?: -H '[^']*'| -J)*) '?http://127\.0\.0\.1:8000(/[^'\s]*)'?")
# A JSON pair shown whole: a key and a scalar value, or a string without an elision in it.
PAIR = re.compile(r'"\w+": ?(?:null|true|false|-?\d+(?:\.\d+)?|"(?:[^"\\…]|\\.)*")(?=[,}\]])')
# An elision: `…` and the note after it, up to the next delimiter of the shown JSON or CSV.
ELISION = re.compile(r"…[^,\]\}\"\r\n|]*")


def _shell_blocks() -> list[tuple[str, list[str]]]:
    """Each shell block of the docs, as lines: (doc, lines)."""
    return [
        (doc.name, block.splitlines())
        for doc in DOCS
        for block in re.findall(r"```sh\n(.*?)```", doc.read_text("utf-8"), re.DOTALL)
    ]


def _examples() -> list[tuple[str, str, str, bool, str]]:
    """Each `$ curl` in a shell block of the docs: (doc, path, curl's i, I or O, sentence only, shown output)."""
    found = []
    for doc, lines in _shell_blocks():
        for number, line in enumerate(lines):
            match = COMMAND.match(line)
            if match is None:
                continue
            shown = []
            for following in lines[number + 1 :]:
                if following.startswith("$ "):
                    break
                shown.append(following)
            sentence = (match.group(3) or "").startswith(" | jq")
            found.append((doc, match.group(2), match.group(1), sentence, "\n".join(shown)))
    return found


EXAMPLES = _examples()


@pytest.fixture(scope="module")
def local(database_url: str) -> Iterator[TestClient]:
    """A client that calls the service by the name the docs use (localhost:8000)."""
    with TestClient(create_app(Settings(database_url=database_url)), base_url="http://localhost:8000") as client:
        yield client


def test_every_curl_the_docs_show_is_one_these_tests_run() -> None:
    """A command written in a form the tests below do not read would go unchecked."""
    unread = [
        (doc, line)
        for doc, lines in _shell_blocks()
        for line in lines
        if (line.startswith("$ curl") and not COMMAND.match(line))
        or (line.startswith("curl") and not CURL_LINE.match(line))
    ]
    assert unread == []


@pytest.mark.parametrize(("doc", "path", "option", "sentence", "shown"), EXAMPLES)
def test_every_shown_output_is_what_the_service_answers(
    local: TestClient, doc: str, path: str, option: str, sentence: bool, shown: str
) -> None:
    response = local.request("HEAD" if option == "I" else "GET", path)
    if option == "O":  # a download: nothing shown, the file saved
        assert response.status_code == 200 and response.content, (doc, path)
    headers = option in ("i", "I")
    answer = response.text
    if sentence:
        answer = json.loads(answer)["data"]["sentence"]
    if headers:
        answer = f"HTTP/1.1 {response.status_code} {response.reason_phrase}\n" + "\n".join(
            f"{k}: {v}" for k, v in response.headers.items()
        )
        answer += "\n\n" + response.text
    if shown.startswith("{"):  # JSON: every pair shown whole (no `…` in it) is in the answer
        pairs = PAIR.findall(shown)
        assert pairs, shown
        for pair in pairs:
            assert pair in answer, f"{doc}: {path}: {pair} is not in the answer"
        return
    for line in shown.splitlines():  # text: every line, less what `…` leaves out, in the answer
        for piece in ELISION.split(line):
            found = answer.lower().find(piece.lower()) if headers else answer.find(piece)
            assert found >= 0, f"{doc}: {path}: {piece[:120]!r} is not in the answer: {answer[:300]!r}"


@pytest.mark.parametrize("doc", [doc.name for doc in DOCS])
def test_every_curl_line_answers(client: TestClient, doc: str) -> None:
    """The one-line examples (README, the editor's guide) name URLs that answer 200, but for the
    editor's guide's made-up event, which exists only once an editor adds it."""
    text = next(path for path in DOCS if path.name == doc).read_text("utf-8")
    for options, path in CURL_LINE.findall(text):
        headers = dict(header.split(": ", 1) for header in re.findall(r"-H '([^']*)'", options))
        status = client.get(path, headers=headers).status_code
        assert status == 200 or (status == 404 and "2026-07-01" in path), (doc, path, status)


def test_the_readme_is_short_and_every_relative_link_resolves() -> None:
    assert len((ROOT / "README.md").read_bytes()) <= 10 * 1024
    for doc in DOCS:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", doc.read_text("utf-8")):
            assert (doc.parent / target).exists(), (doc.name, target)
