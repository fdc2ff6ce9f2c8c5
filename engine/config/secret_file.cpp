#include "engine/config/secret_file.hpp"

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/rand.h>

namespace baton::engine::config {
namespace {

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()),
                 static_cast<int>(bytes))
      != 1)
    return {};
  std::string hex;
  for (unsigned char c : raw) {
    std::array<char, 3> two{};
    std::snprintf(two.data(), two.size(), "%02x", c);
    hex += two.data();
  }
  return hex;
}

/// Writes `secret` to a new file at `path`, mode 0600; false if it exists.
bool create_secret(const std::filesystem::path& path, const std::string& secret,
                   std::string& problem) {
  std::error_code ec;
  if (path.has_parent_path())
    std::filesystem::create_directories(path.parent_path(), ec);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, S_IRUSR | S_IWUSR);
  if (fd < 0)
    return false; // made meanwhile, or unwritable: reading tells which
  auto line = secret + "\n";
  bool ok = ::write(fd, line.data(), line.size())
            == static_cast<ssize_t>(line.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok)
    problem = "cannot write " + path.string();
  return ok;
}

} // namespace

std::string resolve_secret_file(config& cfg, bool create) {
  auto& auth = cfg.auth;
  if (!auth.secret.empty() || auth.secret_file.empty())
    return {};
  std::filesystem::path path = auth.secret_file;
  std::string problem;
  if (create && !std::filesystem::exists(path)) {
    auto secret = random_hex(32);
    if (secret.empty())
      return "auth.secret_file: no randomness from the system's CSPRNG";
    if (!create_secret(path, secret, problem) && !problem.empty())
      return "auth.secret_file: " + problem;
  }
  std::ifstream in(path);
  std::string secret;
  if (!in || !std::getline(in, secret))
    return "auth.secret_file: cannot read " + path.string();
  if (secret.size() < 32)
    return "auth.secret_file: " + path.string() + " holds fewer than 32 bytes";
  auth.secret = std::move(secret);
  return {};
}

} // namespace baton::engine::config
