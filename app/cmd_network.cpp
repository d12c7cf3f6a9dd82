// sonae network info / route / sssp.
#include "app/commands.hpp"

namespace sonae::app {

void add_network_commands(CLI::App& app) {
    (void)app;
}

} // namespace sonae::app
