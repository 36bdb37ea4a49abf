import sys

from cmdash.cli import main

sys.exit(main())
