"""Every one-line text field of the app: Textual's Input, minus a layout of the whole screen for
each character typed.

An Input's virtual size follows its text (it scrolls the text itself, sideways, when the text
is longer than the field), and Textual's `virtual_size` asks for a layout when it changes: so
each digit typed into the lab's Epochs field laid the whole lab out again, about a quarter of
the key's work. A field sized by its content (`width: auto`) still asks for its layout, as
Input does; the text scrolls within the field as before.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class TextField(Input):
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
