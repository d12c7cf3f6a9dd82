// Only in sanitizer builds (-fsanitize=address): lets LeakSanitizer tell Mesa's own leaks
// from ours. Mesa's software driver (llvmpipe, swrast_dri.so) leaves a few allocations at
// exit and is unloaded before the leak report, so the report cannot name it and no
// suppression can match. Keeping the driver loaded (RTLD_NODELETE) lets the suppressions
// below match by module name; leaks in sonae's own code are still reported.
// Linked directly into sonae-view and the viewer test binaries (not through the library, so
// the linker keeps it).
#if defined(__SANITIZE_ADDRESS__)

#include <dlfcn.h>
#include <initializer_list>

extern "C" const char* __lsan_default_suppressions() {
    return "leak:swrast_dri.so\n"
           "leak:libLLVM\n"
           "leak:libGLX_mesa.so\n"
           "leak:libglapi.so\n";
}

namespace {
struct KeepMesaDriverLoaded {
    KeepMesaDriverLoaded() {
        for (const char* path : {"/usr/lib/x86_64-linux-gnu/dri/swrast_dri.so",
                                 "/usr/lib/aarch64-linux-gnu/dri/swrast_dri.so",
                                 "/usr/lib64/dri/swrast_dri.so", "/usr/lib/dri/swrast_dri.so"}) {
            if (dlopen(path, RTLD_NOW | RTLD_GLOBAL | RTLD_NODELETE) != nullptr) break;
        }
    }
};
const KeepMesaDriverLoaded keep_mesa_driver_loaded;
} // namespace

#endif
