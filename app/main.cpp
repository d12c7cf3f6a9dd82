// The `sonae` command: parses arguments, calls the modules, maps errors to exit codes.
// Exit codes: 0 ok, 1 usage, 2 bad input (or unreadable/unwritable file), 3 internal error.

#include "app/commands.hpp"
#include "app/warnings.hpp"
#include "geo/error.hpp"

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
    CLI::App app{"sonae (備え): evacuation planning for children on medical devices"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "sonae 0.1.0");
    // `sonae plan X --strict` as well as `sonae --strict plan X`: subcommands pass options
    // they do not know to this level.
    app.fallthrough();
    app.add_flag("--strict", sonae::app::strict_mode(),
                 "treat warnings (data issues) as errors: exit 2 before anything is written");
    sonae::app::add_network_commands(app);
    sonae::app::add_registry_commands(app);
    sonae::app::add_plan_commands(app);
    sonae::app::add_simulate_command(app);
    sonae::app::add_run_command(app);
    sonae::app::add_report_commands(app);
    sonae::app::add_sssp_command(app);
    sonae::app::add_route_command(app);
    sonae::app::add_bench_vrptw_command(app);

    // Warnings are printed at the end, grouped and counted, also when the command failed.
    struct PrintWarnings {
        ~PrintWarnings() { sonae::app::warning_log().print(std::cerr); }
    } print_warnings;
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 1;
    } catch (const sonae::InputError& e) {
        std::cerr << "sonae: error: " << e.what() << '\n';
        return 2;
    } catch (const sonae::IoError& e) {
        std::cerr << "sonae: error: " << e.what() << '\n';
        return 2;
    } catch (const sonae::InternalError& e) {
        std::cerr << "sonae: internal error (please report): " << e.what() << '\n';
        return 3;
    } catch (const std::bad_alloc&) {
        std::cerr << "sonae: out of memory\n";
        return 3;
    } catch (const std::exception& e) {
        std::cerr << "sonae: internal error (please report): " << e.what() << '\n';
        return 3;
    }
    return 0;
}
