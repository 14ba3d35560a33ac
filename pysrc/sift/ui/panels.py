"""The explore panels around the grid (MicroPython): search and filters, facets, profiles.

`start(app, controller)` wires them to the view controller (sift.ui.view): its listeners,
its state and its actions. This first version starts nothing; the panels plug in here.
"""


def start(app, controller):
    """Connect the panels to `controller`; called once by the app at start-up."""
    return None
