"""tui-dl served to browsers for a workshop (textual-serve, with a token, seats and idle
closing): server.py; the plain pages it answers with: pages.py."""
