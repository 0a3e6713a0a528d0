from gongfu_cli.entry import main

main()
