#pragma once

#include <string>

#include "caf/fwd.hpp"

namespace baton::engine::config {
struct cluster_settings;
}

namespace baton::app {

/// Why the node cannot use `cluster`'s TLS files (one does not read as
/// PEM, the key is not the certificate's, the CA file holds no
/// certificate), with OpenSSL's reason; empty when it can, or when TLS is
/// off. Checked before the actor system starts: CAF reads the files again
/// at each connection and cannot say what is wrong with them.
std::string tls_problem(const engine::config::cluster_settings& cluster);

/// Makes CAF's OpenSSL module carry the middleman's connections, each end
/// proving itself with a certificate signed by `cluster.tls_ca`.
void load_tls(const engine::config::cluster_settings& cluster,
              caf::actor_system_config& caf_cfg);

} // namespace baton::app
