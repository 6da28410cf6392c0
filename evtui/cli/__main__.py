from evtui.cli import main

raise SystemExit(main())
