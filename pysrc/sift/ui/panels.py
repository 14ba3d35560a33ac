"""The explore panels around the grid (MicroPython): search and filters, facets, profiles.

`start(app, controller)` wires them to the view controller (sift.ui.view): every new view
reply reaches each panel through `controller.listeners`, `clear_listeners` hides them when
no table is shown, `error_listeners` lets the view bar show a bad filter inline, and
`filter_requests` brings a header menu's "Filter…" to the form. A panel never calls the
`view` command itself: it asks the controller (add_filter, remove_filter, set_q,
toggle_facet), which answers with a new reply.
Imports: sift.ui (facets, profiles, search_index, view_bar).
"""

from sift.ui import facets, profiles, search_index, view_bar


class Panels:
    def __init__(self, app, controller, profiled=True):
        self.app = app
        self.controller = controller
        self.profiled = profiled  # column profiles (and the header sparklines) are computed
        self.bar = view_bar.ViewBar(app, controller)
        self.facets = facets.Facets(app, controller)
        self.profiles = profiles.Profiles(app, controller, self.facets.open)
        self.search = search_index.SearchIndex(app, controller)
        self.operators_asked = False

    def start(self):
        self.bar.start()
        self.facets.start()
        self.profiles.start()
        self.controller.listeners.append(self.on_view)
        self.controller.clear_listeners.append(self.hide)
        self.controller.error_listeners.append(self.bar.filter_error)
        self.controller.filter_requests.append(self.bar.focus_column)

    def on_view(self, view):
        if not self.operators_asked:
            # A view reply means the engine is up: ask for the operator registry once.
            self.operators_asked = True
            self.app.spawn(self.bar.load_operators())
        self.bar.update(view)
        self.facets.update(view)
        if self.profiled:
            self.profiles.update(view)
        self.search.update(view)

    def hide(self):
        self.bar.hide()
        self.facets.hide()
        self.profiles.hide()
        self.search.forget()


def start(app, controller, profiled=True):
    """Connect the panels to `controller`; called once by the app at start-up. An embedded
    widget shows no profiles (`profiled` False): their engine work would delay its page's
    other widgets, which share the engine."""
    panels = Panels(app, controller, profiled)
    panels.start()
    return panels
