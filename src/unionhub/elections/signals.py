"""Events of the elections app, for apps above it (the LED screen may show released results).

results_released = Signal()
    Sent after commit when the presidium releases a round's results.
    Arguments: round (Round), result (counting.Result), by (User).

motion_released = Signal()
    Sent after commit when a show-of-hands result is released.
    Arguments: motion (Motion), by (User).
"""

from django.dispatch import Signal

results_released = Signal()
motion_released = Signal()
