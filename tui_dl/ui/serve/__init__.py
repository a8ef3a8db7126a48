"""tui-dl served to browsers for a workshop (textual-serve, with a token, an Origin check,
seats and idle closing): server.py; where it listens and the links it prints: address.py; the
plain pages it answers with: pages.py; what a seat's app may open and where it writes (its own
folder): seat_files.py."""
