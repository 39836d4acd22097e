from triangulate.cli import main

main()
