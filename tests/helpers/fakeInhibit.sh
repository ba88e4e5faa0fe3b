#!/bin/sh
# Stands in for systemd-inhibit in tests: writes its pid and arguments where
# HARK_TEST_INHIBIT_LOG says, then holds "the lock" until its stdin closes or it is killed.
echo "$$ $*" >> "$HARK_TEST_INHIBIT_LOG"
exec cat > /dev/null
