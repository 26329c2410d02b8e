#!/bin/sh
# smoke.sh: pretends to probe the app.
sleep 0.1
echo '{"status": "ok"}'
