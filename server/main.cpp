// atende-server: the Atende daemon. Everything lives in the libraries; see server/core/server_main.cpp.
#include "server/core/server_main.h"

int main(int argc, char **argv)
{
    return atende::server::core::serverMain(argc, argv);
}
