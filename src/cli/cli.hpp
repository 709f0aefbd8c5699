#pragma once
namespace nongsan::cli {
int run(int argc, char** argv);
}
