"""pure: a no-op Python function, called 1,000 times: what a call costs inside the interpreter,
the yardstick for the calls into Rust."""
from . import CALLS


def noop():
    pass


def calls(data):
    f, made = noop, 0  # one name lookup, outside the loop, as in every variant
    for _ in range(CALLS):
        f()
        made += 1
    return made
