#!/bin/sh
# rollback.sh ENV: pretends to roll back.
echo "rolled back $1"
