// The nongsan binary: thin; every command lives in src/cli/commands and
// calls the services the API uses.
#include "cli/cli.hpp"

int main(int argc, char** argv) { return nongsan::cli::run(argc, argv); }
