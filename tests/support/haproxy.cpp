#include "tests/support/haproxy.hpp"

#include <fstream>

namespace baton::test_support {

std::string haproxy_config(const haproxy_options& o) {
  auto check = std::to_string(o.check_interval.count());
  // Each connection takes two descriptors: 8000 fits the usual 20000 limit.
  // A refused connection is retried on another node after min(timeout
  // connect, 1 s): 100 ms is plenty on a LAN and keeps a handover short.
  std::string t = "global\n  maxconn 8000\n"
                  "defaults\n  mode http\n  option forwardfor\n"
                  "  timeout connect 100ms\n"
                  "  timeout client 60s\n  timeout server 60s\n"
                  "  timeout tunnel 1h\n  option redispatch\n  retries 2\n"
                  "frontend chat\n  bind 127.0.0.1:"
                  + std::to_string(o.front_port)
                  + "\n  default_backend nodes\n"
                    "backend nodes\n  option httpchk GET /readyz\n"
                    "  http-check expect status 200\n"
                    "  default-server inter "
                  + check + "ms downinter " + check + "ms fall 1 rise 1\n";
  for (std::size_t i = 0; i < o.node_ports.size(); ++i)
    t += "  server n" + std::to_string(i + 1)
         + " 127.0.0.1:" + std::to_string(o.node_ports[i]) + " check\n";
  return t;
}

bool start_haproxy(server_process& process, const haproxy_options& o,
                   const std::filesystem::path& dir) {
  auto path = dir / "haproxy.cfg";
  std::ofstream(path) << haproxy_config(o);
  server_process::options run;
  run.binary = "/usr/sbin/haproxy";
  run.args = {"-f", path.string(), "-db"};
  run.listen.clear();
  run.wait_for_listening = false;
  return process.start(run);
}

} // namespace baton::test_support
