// The `sonae` command: parses arguments, calls the modules, maps errors to exit codes.
// Exit codes: 0 ok, 1 usage, 2 bad input (or unreadable/unwritable file), 3 internal error.

#include "app/commands.hpp"
#include "app/warnings.hpp"
#include "core/error.hpp"
#include "geo/output_date.hpp"
#include "geo/output_set.hpp"

#include <algorithm>
#include <exception>
#include <iostream>
#include <string_view>
#include <vector>

namespace {

/// The error as printed: a file inside this run's staging folder (a write that failed half-way,
/// on a full disk) is named where it was to go, `out/plan.gpkg`, not `.out.sonae-<pid>-.../`.
std::string shown(const sonae::Error& e) {
    sonae::Where where = e.where();
    const std::string file = sonae::OutputSet::final_name(where.file);
    if (file == where.file) return e.what();
    where.file = file;
    return sonae::Error(e.message(), where).what();
}

// Levenshtein distance (insertions, deletions, substitutions), for "did you mean".
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] =
                std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

void print_commands(const CLI::App& level, const std::string& path, std::ostream& out) {
    out << "usage: " << path << " COMMAND [options]   (" << path
        << " COMMAND --help: its options and defaults)\n"
        << "commands:\n";
    for (const CLI::App* sub : level.get_subcommands([](const CLI::App*) { return true; })) {
        std::string name = sub->get_name();
        name.resize(std::max<std::size_t>(name.size() + 2, 14), ' ');
        out << "  " << name << sub->get_description() << "\n";
    }
}

// Follows the command words of argv (sonae network info ...). A missing command lists the
// commands; an unknown one also suggests the closest. Returns the exit code, or -1 to go on.
int check_command_words(CLI::App& app, int argc, char** argv) {
    CLI::App* level = &app;
    std::string path = "sonae";
    for (int i = 1;; ++i) {
        const auto subs = level->get_subcommands([](const CLI::App*) { return true; });
        if (subs.empty()) return -1;
        if (i >= argc) {
            print_commands(*level, path, std::cerr);
            return 1;
        }
        const std::string word = argv[i];
        if (word.starts_with("-")) return -1; // --help, --version: CLI11 answers
        CLI::App* next = nullptr;
        for (CLI::App* sub : subs) {
            if (sub->check_name(word)) next = sub;
        }
        if (next == nullptr) {
            std::cerr << path << ": unknown command '" << word << "'";
            const CLI::App* closest = nullptr;
            std::size_t best = 0;
            for (const CLI::App* sub : subs) {
                const std::size_t d = edit_distance(word, sub->get_name());
                if (closest == nullptr || d < best) {
                    closest = sub;
                    best = d;
                }
            }
            if (closest != nullptr && best <= std::max<std::size_t>(2, word.size() / 3)) {
                std::cerr << "; did you mean '" << closest->get_name() << "'?";
            }
            std::cerr << "\n";
            print_commands(*level, path, std::cerr);
            return 1;
        }
        level = next;
        path += " " + word;
    }
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"sonae (備え): evacuation planning for children on medical devices"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "sonae 0.1.0");
    // `sonae plan X --strict` as well as `sonae --strict plan X`: subcommands pass options
    // they do not know to this level.
    app.fallthrough();
    app.add_flag("--strict", sonae::app::strict_mode(),
                 "treat warnings (data issues) as errors: exit 2 before anything is written");
    // Every --help shows each option's default value (commands inherit this setting).
    app.option_defaults()->always_capture_default();
    sonae::app::add_network_commands(app);
    sonae::app::add_registry_commands(app);
    sonae::app::add_plan_commands(app);
    sonae::app::add_simulate_command(app);
    sonae::app::add_run_command(app);
    sonae::app::add_drill_commands(app);
    sonae::app::add_report_commands(app);
    sonae::app::add_sssp_command(app);
    sonae::app::add_route_command(app);
    sonae::app::add_bench_vrptw_command(app);

    if (const int rc = check_command_words(app, argc, argv); rc >= 0) return rc;
    // Warnings are printed at the end, grouped and counted, also when the command failed.
    struct PrintWarnings {
        ~PrintWarnings() { sonae::app::warning_log().print(std::cerr); }
    } print_warnings;
    try {
        // A malformed SOURCE_DATE_EPOCH is bad input before anything is written.
        (void)sonae::geo::source_date_epoch();
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
    } catch (const sonae::app::OutputExists& e) {
        std::cerr << "sonae: error: " << e.what() << '\n';
        return 1;
    } catch (const sonae::InputError& e) {
        std::cerr << "sonae: error: " << shown(e) << '\n';
        return 2;
    } catch (const sonae::IoError& e) {
        std::cerr << "sonae: error: " << shown(e) << '\n';
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
