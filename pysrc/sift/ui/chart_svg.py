"""A chart's SVG tree (docs/chart-contract.md) as DOM elements, and its file exports (MicroPython).

The engine sends the chart as nested lists `[tag, {name: value}, [children]]` whose text is
user data (column names, values): every node is made with createElementNS, every attribute
with setAttribute and every text with createTextNode, never parsed as markup. The root's
width and height are dropped so CSS sizes the chart (its viewBox keeps the shape).
Exports: `svg_text` (the engine's standalone file) saved as a Blob through an `<a download>`,
or drawn through an Image from a `blob:` URL onto a canvas and saved as PNG (the CSP's
`img-src blob:` allows the Image).
Imports: sift.ui.dom.
"""

import asyncio

import js

from sift.ui.dom import page

SVG_NS = "http://www.w3.org/2000/svg"
ROOT_DROPPED = ("xmlns", "width", "height")
# Chromium reads a download's blob: URL after the click returns: free it a little later.
REVOKE_AFTER_S = 10
FILE_NAME_CHARS = 60


def build(node, root=True):
    """The element for one node of the tree (and, recursively, its children)."""
    tag, attrs, children = node[0], node[1], node[2]
    element = page.document.createElementNS(SVG_NS, tag)
    for name in attrs:
        if name == "xmlns" or (root and name in ROOT_DROPPED):
            continue
        element.setAttribute(name, str(attrs[name]))
    for child in children:
        if isinstance(child, str):
            element.appendChild(page.document.createTextNode(child))
        else:
            element.appendChild(build(child, False))
    return element


def file_stem(title, table):
    """A file name (without extension) from the chart's title, else its table: lower case
    letters and digits joined by '-', at most FILE_NAME_CHARS characters, never empty."""
    for text in (title, table):
        words = []
        word = []
        for char in str(text or "").lower():
            if ("a" <= char <= "z") or ("0" <= char <= "9"):
                word.append(char)
            elif word:
                words.append("".join(word))
                word = []
        if word:
            words.append("".join(word))
        stem = "-".join(words)[:FILE_NAME_CHARS].strip("-")
        if stem:
            return stem
    return "chart"


def blob_of(text, kind):
    parts = js.Array.new()
    parts.push(text)
    options = js.Object.new()
    options.type = kind
    return js.Blob.new(parts, options)


def save(blob, name, app):
    """Download `blob` as `name`: a temporary `<a download>` clicked, its URL freed later."""
    url = js.URL.createObjectURL(blob)
    link = page.document.createElement("a")
    link.setAttribute("href", url)
    link.setAttribute("download", name)
    link.hidden = True
    page.document.body.append(link)
    link.click()
    link.remove()
    app.spawn(revoke_later(url))


async def revoke_later(url):
    await asyncio.sleep(REVOKE_AFTER_S)
    js.URL.revokeObjectURL(url)


def save_svg(text, name, app):
    save(blob_of(text, "image/svg+xml;charset=utf-8"), name, app)


async def png_blob(text, width, height):
    """The picture of `text` (an SVG file) as a PNG Blob, `width` x `height` times the
    device's pixel ratio (at least 2, so the file stays sharp when enlarged)."""
    url = js.URL.createObjectURL(blob_of(text, "image/svg+xml"))
    try:
        image = js.Image.new()
        image.src = url
        await image.decode()
        scale = max(2, int(page.window.devicePixelRatio or 1))
        canvas = js.OffscreenCanvas.new(width * scale, height * scale)
        context = canvas.getContext("2d")
        context.drawImage(image, 0, 0, width * scale, height * scale)
        return await canvas.convertToBlob()
    finally:
        js.URL.revokeObjectURL(url)
