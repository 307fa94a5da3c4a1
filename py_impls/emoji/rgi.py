"""The one emoji set every tier loads: ``RGI_Emoji`` of one pinned Unicode Emoji version.

It comes from the PyPI package ``emoji`` (pinned in ``py_impls/requirements.lock``): the
``EMOJI_DATA`` entries whose status is fully-qualified or component and whose emoji version is
at most ``EMOJI_VERSION``. That is exactly UTS #51's ``RGI_Emoji`` (emoji-sequences.txt plus
emoji-zwj-sequences.txt, equivalently the fully-qualified and component lines of
emoji-test.txt): checked against Unicode's own files by ``tests/emoji.rs`` when
``../shared/datasets/emoji`` is present.

The harness writes the set once per venv (``rgi.main([_, OUT])``, from the bootstrap) as a
small text file, and every tier, Python or Rust, reads that file::

    # RGI_Emoji, Unicode Emoji 17.0, from the PyPI package emoji==2.16.0 ...
    # emoji_version: 17.0
    # sequences: 3953
    0023 FE0F 20E3
    ...

One sequence per line, as hex code points (the notation of Unicode's data files), sorted.
"""
import sys
from importlib.metadata import version

EMOJI_VERSION = "17.0"


def sequences(emoji_version=EMOJI_VERSION):
    """The RGI_Emoji sequences of ``emoji_version``, as strings, sorted by code point."""
    import emoji

    wanted = (emoji.STATUS["fully_qualified"], emoji.STATUS["component"])
    limit = float(emoji_version)
    return sorted(e for e, d in emoji.EMOJI_DATA.items() if d["status"] in wanted and d["E"] <= limit)


def render(emoji_version=EMOJI_VERSION):
    """The set file's text."""
    seqs = sequences(emoji_version)
    lines = [
        f"# RGI_Emoji, Unicode Emoji {emoji_version}, from the PyPI package emoji=={version('emoji')}"
        " (EMOJI_DATA entries: fully-qualified or component, E <= version)",
        f"# emoji_version: {emoji_version}",
        f"# sequences: {len(seqs)}",
    ]
    lines += [" ".join(f"{ord(c):04X}" for c in s) for s in seqs]
    return "\n".join(lines) + "\n"


def parse(text):
    """(emoji_version, [sequence, ...]) from a set file's text."""
    emoji_version, seqs = None, []
    for line in text.splitlines():
        if line.startswith("# emoji_version:"):
            emoji_version = line.split(":", 1)[1].strip()
        elif line and not line.startswith("#"):
            seqs.append("".join(chr(int(cp, 16)) for cp in line.split()))
    if emoji_version is None or not seqs:
        raise ValueError("not an emoji set file (no '# emoji_version:' line or no sequences)")
    return emoji_version, seqs


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: rgi.main([argv0, OUT]): writes the set file to OUT")
    text = render()
    tmp = argv[1] + ".tmp"
    with open(tmp, "w", encoding="ascii", newline="\n") as f:
        f.write(text)
    import os
    os.replace(tmp, argv[1])


if __name__ == "__main__":
    main(sys.argv)
