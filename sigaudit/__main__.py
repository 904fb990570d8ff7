import sys

from sigaudit.cli import main

sys.exit(main())
