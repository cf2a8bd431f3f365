"""Test support shipped with the package, like jupyter_server.pytest_plugin: real servers as fixtures.

The browser tests load `resurskurs.testing.browser` and `resurskurs.testing.hand_ins` as pytest plugins
(tests/conftest.py), and the benchmarks import the same pieces without importing any test module.
They need a source checkout: the player fixture course lives in tests/fixtures, the demo film in films/.
"""
