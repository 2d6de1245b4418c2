#!/bin/sh
# In TESTS when configure found no Check (libcheck): the unit tests cannot be
# built, and `make check` must not pass without them.
echo "ERROR: the unit tests need Check (libcheck), which configure did not find."
echo "Install it (Debian: apt-get install check libsubunit-dev, or tools/deps test)"
echo "and run configure again."
exit 99
