#include "app/cluster_tls.hpp"

#include <memory>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "caf/actor_system_config.hpp"
#include "caf/openssl/manager.hpp"

#include "engine/config/config.hpp"

namespace baton::app {
namespace {

/// OpenSSL's queued reasons, oldest first, and the queue emptied.
std::string openssl_reasons() {
  std::string reasons;
  while (auto code = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    if (!reasons.empty())
      reasons += "; ";
    reasons += text;
  }
  return reasons.empty() ? "no reason given" : reasons;
}

} // namespace

std::string tls_problem(const engine::config::cluster_settings& cluster) {
  if (!cluster.tls())
    return {};
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx{
    SSL_CTX_new(TLS_method()), SSL_CTX_free};
  if (!ctx)
    return "cannot make a TLS context: " + openssl_reasons();
  auto fail = [](const std::string& key, const std::string& file,
                 const std::string& what = "cannot be read") {
    return "cluster." + key + ": " + file + " " + what + " ("
           + openssl_reasons() + ")";
  };
  if (SSL_CTX_use_certificate_chain_file(ctx.get(),
                                         cluster.tls_certificate.c_str())
      != 1)
    return fail("tls_certificate", cluster.tls_certificate);
  if (SSL_CTX_use_PrivateKey_file(ctx.get(), cluster.tls_key.c_str(),
                                  SSL_FILETYPE_PEM)
      != 1)
    return fail("tls_key", cluster.tls_key);
  if (SSL_CTX_check_private_key(ctx.get()) != 1)
    return fail("tls_key", cluster.tls_key,
                "is not the key of cluster.tls_certificate");
  if (SSL_CTX_load_verify_locations(ctx.get(), cluster.tls_ca.c_str(), nullptr)
      != 1)
    return fail("tls_ca", cluster.tls_ca);
  return {};
}

void load_tls(const engine::config::cluster_settings& cluster,
              caf::actor_system_config& caf_cfg) {
  // Any of these set turns on CAF's peer authentication: both ends send
  // a certificate and refuse a peer whose certificate the CA did not sign.
  caf_cfg.openssl_certificate = cluster.tls_certificate;
  caf_cfg.openssl_key = cluster.tls_key;
  caf_cfg.openssl_cafile = cluster.tls_ca;
  caf_cfg.load<caf::openssl::manager>();
}

} // namespace baton::app
