"""The README example reader: fences, commands, output shown, markers, and matching printed output."""
from __future__ import annotations

import pytest

from tests.readme_examples import BadMarker, examples, indented_code_blocks, shown_matches, unlabelled_fences

TEXT = """# Title

```
make run
```

<!-- example: skip (needs the network) -->
```bash
kompass harvest --corpus c
```

```bash
# a comment
kompass extract corpus/x.pdf \\
    --format json
make run    # builds the database
```

- in a list:

  ```console
  $ kompass search medborgardialog
  Fagersta 2009 …
  ...
  $ kompass --version
  kompass, version 1.0
  ```

<!-- example: exit 1 -->
```sh
kompass compare Fagerstra
```

```python
print("not a shell example")
```
"""


def test_reader_finds_commands_output_and_markers():
    found = examples(TEXT)
    assert [(e.language, e.skip, e.exit_status) for e in found] == [
        ("bash", "needs the network", 0), ("bash", None, 0), ("console", None, 0), ("sh", None, 1)]
    assert [c.text for c in found[1].commands] == ["kompass extract corpus/x.pdf --format json",
                                                     "make run    # builds the database"]
    assert found[1].commands[0].line == 14
    console = found[2].commands
    assert [(c.text, c.shown) for c in console] == [
        ("kompass search medborgardialog", ("Fagersta 2009 …", "...")),
        ("kompass --version", ("kompass, version 1.0",))]
    assert unlabelled_fences(TEXT) == [3]


def test_markers_need_a_reason_or_a_status():
    with pytest.raises(BadMarker):
        examples("<!-- example: skip -->\n```bash\nls\n```\n")
    with pytest.raises(BadMarker):
        examples("<!-- example: run it twice -->\n```bash\nls\n```\n")


def test_shown_output_matches_from_the_first_line_with_ellipses():
    printed = "Fagersta 2009: 8 areas\nline two\nline three\nTotal 541\n"
    assert shown_matches(("Fagersta 2009: 8 areas",), printed) is None
    assert shown_matches(("Fagersta … 8 areas", "...", "Total 541"), printed) is None
    assert shown_matches(("Fagersta 2009: 8 areas", "line three"), printed) is not None  # line two left out
    assert "is not printed" in shown_matches(("Fagersta 2010",), printed)
    assert shown_matches((), "anything") is None


def test_indented_code_blocks_are_found_but_not_list_continuations():
    text = ("Text.\n\n    kompass export --out x\n    kompass serve\n\n- item\n\n    continued item\n\n"
            "```bash\n\n    inside a fence\n```\n")
    assert indented_code_blocks(text) == [3]
