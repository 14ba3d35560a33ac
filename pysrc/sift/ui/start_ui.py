"""Entry point of the main-thread UI (PyScript `type="mpy"`): the app (sift.ui.app), a widget
when the page is embed.html opened by itself (sift.ui.embed_app), or every widget of a host
page when it is that page's engine frame (sift.ui.widgets).

PyScript has downloaded app/ui.tar (the UI's modules, buildtools.bytecode.tar_bytes) into the
working folder; it is unpacked here, before anything imports from it."""

import os

ARCHIVE = "ui.tar"
BLOCK = 512


def unpack(path):
    """Write out the folders and files of the uncompressed ustar archive at `path` (relative to
    the working folder), then remove it. Only what tar_bytes writes: folders listed first."""
    with open(path, "rb") as file:
        # Sized: MicroPython's read() of the whole file grows its buffer chunk by chunk, which
        # took 30-110 ms of a widget's start for these 350 KB; one read of the size takes 1-3.
        data = file.read(os.stat(path)[6])
    view = memoryview(data)
    at = 0
    while at + BLOCK <= len(data) and data[at] != 0:
        header = data[at : at + BLOCK]
        if header[257:262] != b"ustar":
            raise ValueError(path + " is not the UI archive: rebuild Sift (python build.py)")
        name = header[:100].rstrip(b"\0").decode()
        size = int(header[124:136].rstrip(b"\0 ") or b"0", 8)
        at += BLOCK
        if header[156:157] == b"5":
            os.mkdir(name.rstrip("/"))
        else:
            with open(name, "wb") as out:
                out.write(view[at : at + size])
        at += (size + BLOCK - 1) // BLOCK * BLOCK
    os.remove(path)


def main():
    import js

    unpack(ARCHIVE)
    root = js.document.documentElement
    if root.hasAttribute("data-sift-widgets"):
        from sift.ui import widgets

        widgets.serve()
    elif root.hasAttribute("data-sift-embed"):
        from sift.ui.embed_app import EmbedApp

        EmbedApp().start()
    else:
        from sift.ui.app import App

        App().start()


if __name__ == "__main__":
    main()
