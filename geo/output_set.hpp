#pragma once
/// A command's whole output set, all or nothing (issue 24 item 1).
///
/// Every file of the set is written into a private staging folder (mode 0700, beside the
/// output folder so that it is on the same file system) and the set is swapped in at the end:
/// - the output folder does not exist yet: the staging folder is renamed to it (one step);
/// - it exists and holds nothing that the new set does not replace: the two folders are
///   exchanged in one step (Linux renameat2 RENAME_EXCHANGE) and the old set is removed;
/// - it holds other files too (a folder the user keeps other things in, or a partial set such
///   as one child's guidebook into a folder of many): each top-level entry of the set is moved
///   in on its own (a rename each, a few microseconds in all), the rest is left alone.
/// So an interrupted or failed command leaves the previous complete set or the new complete
/// set, never a mix of the two, and no file of it is readable by others on the way (GDAL's and
/// cairo's temporary files are inside the 0700 folder). A staging folder left by a killed
/// command (its process is gone) is removed by the next command that writes there.

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace sonae {

class OutputSet {
public:
    /// `target`: the output folder the user named. `inputs`: files the set must never replace
    /// or remove (checked again at commit()). Throws IoError if no staging folder can be made.
    OutputSet(std::filesystem::path target, std::vector<std::filesystem::path> inputs = {});
    ~OutputSet();
    OutputSet(const OutputSet&) = delete;
    OutputSet& operator=(const OutputSet&) = delete;

    /// Where the command writes now; after commit(), the same layout is at target().
    const std::filesystem::path& dir() const noexcept { return m_staging; }
    const std::filesystem::path& target() const noexcept { return m_target; }
    /// The final place of a path under dir() (for messages: "-> out/plan.json").
    std::filesystem::path final_path(const std::filesystem::path& staged) const;
    std::vector<std::filesystem::path>
    final_paths(const std::vector<std::filesystem::path>& staged) const;

    /// `file` as the user would name it: a staging folder of this process in it (an error
    /// raised while writing names the file there, `.out.sonae-1234-AbC123/plan.gpkg`) becomes
    /// the output folder (`out/plan.gpkg`); any other path is returned as it is.
    static std::string final_name(const std::string& file);

    /// Entries of the output folder for which `previous(name)` is true belong to the previous
    /// set of this command even when the new set has no entry of that name (a series of
    /// numbered pictures, frame_00000.png..., that may be longer or shorter than the new one):
    /// they do not keep the folder from being swapped whole, and after entry-by-entry moves
    /// (a folder with other things in it) those the new set did not replace are removed.
    void previous_entries(std::function<bool(const std::string& name)> previous) {
        m_previous = std::move(previous);
    }

    /// Swaps the set in (see above). Throws InputError if an entry would replace or remove an
    /// input, IoError if the file system refuses; either way the previous set stays.
    void commit();
    bool committed() const noexcept { return m_committed; }

private:
    std::filesystem::path m_target; ///< as the user gave it (for messages)
    std::filesystem::path m_abs;    ///< absolute and normal
    std::vector<std::filesystem::path> m_inputs;
    std::filesystem::path m_staging;
    bool m_inside = false; ///< staging inside the target (its parent is not writable)
    bool m_committed = false;
    std::function<bool(const std::string&)> m_previous;
};

} // namespace sonae
