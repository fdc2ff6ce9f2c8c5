#include "gateway/http/console_dir.hpp"

namespace baton::gateway {

std::filesystem::path
console_dir(const engine::config::console_settings& settings) {
  namespace fs = std::filesystem;
  if (!settings.dir.empty())
    return settings.dir;
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto beside = exe.parent_path().parent_path() / "web";
    if (fs::is_directory(beside, ec))
      return beside;
  }
#ifdef BATON_WEB_DIR
  return BATON_WEB_DIR;
#else
  return {};
#endif
}

} // namespace baton::gateway
