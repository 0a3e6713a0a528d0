from gongfu_cli.cli import main

main()
