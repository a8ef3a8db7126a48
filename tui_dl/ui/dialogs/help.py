"""`?`: the keys, and what tui-dl is doing behind the screens."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS = (
    ("?", "anywhere", "this help"),
    ("q", "anywhere", "quit — runs keep training"),
    ("ctrl+p", "anywhere", "command palette: every screen"),
    ("escape", "anywhere", "back"),
    ("ctrl+s", "anywhere", "the share code of this setup (tui-dl open CODE opens it)"),
    ("ctrl+b", "a workshop seat", "open the code the instructor put on every seat"),
    ("tab", "anywhere", "next panel or field"),
    ("c  l  r  d", "home", "course map, lab, runs, data"),
    ("enter  n", "course map", "open the step; open the next step"),
    ("enter", "lists", "open the selected item"),
    ("ctrl+r", "lab", "start a run with these settings"),
    ("c", "lab, runs", "cancel the live run"),
    ("n", "lab", "new run with the same settings"),
    ("ctrl+t", "lab (vae, gan)", "a smaller setup, when a CPU run would take long"),
    ("ctrl+r  c  n", "sweep", "start the grid, cancel it, a new sweep with the same lists"),
    ("v", "sweep", "plot validation loss or validation accuracy"),
    ("enter  [ ]  c  b", "class view", "a learner's run, the boards, cancel, a code to all"),
    ("m  w  a  p", "finished run", "confusion matrix, wrong digits, where it looked, probe"),
    ("g  ←→  home end", "vae, gan", "the samples as they form; earlier and later epochs"),
    ("c", "samples", "the curves instead of the grid (beside it from 150 columns)"),
    ("z  ↑↓←→  m", "vae", "the latent space: a cursor over it, the manifold"),
    ("[  ]  enter  c", "latent", "pick a real image, go to its encoding, clear it"),
    ("o", "lab", "lay another finished run of this experiment over the curves"),
    ("r", "imdb-lstm", "the reviews: numbers, words, mistakes, your own sentence"),
    ("→ ←  w  tab", "reviews", "next review, the worst mistakes, type a sentence"),
    ("arrows enter", "matrix", "walk the cells; open the digits behind one"),
    ("n", "matrix", "counts or row rates"),
    ("→  ←", "digits, maps", "next and previous"),
    ("0–9  t  y  g", "maps", "map another class, the true one, its answer; go to image"),
    ("ctrl+o  1–9  h", "model zoo", "pick a photo; another guess's map; photo or heatmap"),
    ("n  p", "lesson", "next, previous page (→ ← too, unless the widget uses them)"),
    ("tab", "lesson", "text ↔ widget; pgup pgdn scroll the text"),
    ("t  1–9", "lesson", "try it: the lab, Playground, sweep or screen the lesson names"),
    ("", "", "(where the widget uses t or a digit, tab to the text first)"),
    ("↑↓  enter", "questions", "choose an answer and give it; or type a number, enter"),
    ("← →  n p", "questions", "other questions; before the first, back to the pages"),
    ("space s r x", "descent", "play, step, reset, random start"),
    ("↑↓  m  b", "descent", "learning rate, momentum, small batches"),
    ("↑↓  ←→  o", "softmax", "class, its logit, make it the target"),
    ("a z L t T", "softmax", "shift all, ×500, temperature"),
    ("↑↓  ←→  d", "activations", "function (or 1–6), cursor, derivative"),
    ("a o x  g  h", "perceptron", "learn AND, OR, XOR; next gate; a hidden layer on/off"),
    ("s e  space  r", "perceptron", "one example, the whole epoch, play, reset"),
    ("→ ←  r  u  x", "backprop", "next/previous node, reset, apply one update, new example"),
    ("space s  ↑↓  v", "optimizers", "play, one step, learning rate, valley or saddle"),
    ("1–5  r", "optimizers", "show or hide SGD, momentum, Nesterov, RMSProp, Adam; restart"),
    ("space s  d  r x", "overfitting", "play, 40 epochs, dropout on/off, restart, new points"),
    ("space s  r  d", "normalising", "play, 10 steps, reset, mammogram or age and income"),
    ("space s  f  a  r", "convolution", "play, one position, fill the rest, ReLU, reset"),
    ("k K  [ ]  d D", "convolution", "kernel, a learned filter, another digit"),
    ("space s  c  ↑↓", "recurrent", "play, one step, tanh or LSTM, the recurrent weights"),
    ("[ ]  f  x  r", "recurrent", "sequence length, forget-gate bias, new inputs, reset"),
    ("↑↓  ←→  e v 0 r", "vae sampling", "pick μ or σ, change it, new ε, plane/histogram, N(0,1)"),
    ("space  .  r  g", "playground", "play/pause, one epoch, reset the network, new points"),
    ("↑↓  ←→", "playground", "choose a setting, change it"),
    ("t  d  c", "playground", "test points, discretised output, the state as a web URL"),
    ("tab  ←→↑↓", "playground", "to the network; focus a neuron (its picture fills the map)"),
    ("+ −  a  o", "playground", "neurons in its layer, the layer's activation, its dropout"),
    ("w  e", "playground", "pick one of its incoming weights, edit it"),
    ("x  ctrl+o", "playground", "write the network as a Keras script; your own CSV"),
    ("space  d  g  .", "gan lab", "play/pause, one D step, one G step, one iteration"),
    ("s  r", "gan lab", "slow motion (one step at a time), reset both networks"),
    ("a  m", "gan lab", "gradient arrows on the fakes, the generator's manifold"),
    ("↑↓  ←→  ctrl+o", "gan lab", "choose a setting, change it; your own CSV of x,y"),
    ("space enter", "ethics", "tick; write a note (enter or esc: back)"),
    ("o  e", "ethics", "other project, export Markdown"),
)

ABOUT = (
    "Each run trains in its own process and writes its events to its run folder: quitting "
    "tui-dl or losing the SSH link does not stop it — open it again from Runs. "
    "`tui-dl --screen lab --run latest` puts a whole class on the same page."
)


def help_renderable() -> Group:
    table = Table(box=box.SIMPLE_HEAD, expand=True, padding=(0, 1))
    table.add_column("key", style="bold yellow", no_wrap=True)
    table.add_column("where", style="dim", no_wrap=True)
    table.add_column("what")
    for row in KEYS:
        table.add_row(*row)
    return Group(Text("tui-dl help", style="bold"), table, Text(ABOUT))


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(help_renderable())

    def action_close(self) -> None:
        self.dismiss()
