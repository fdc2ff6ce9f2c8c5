#pragma once

#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "gateway/http/route.hpp"

/// What route_request reads of a request Beast parsed: shared by
/// http_session and fuzz/http_request_fuzz.cpp, so that both route the same
/// facts. Beast's message types only: no sockets, no async code.
namespace baton::gateway {

/// Views into `req`, valid while it is.
inline http_request_info request_info(
  const boost::beast::http::request<boost::beast::http::string_body>& req) {
  namespace http = boost::beast::http;
  auto view = [](boost::beast::string_view s) {
    return std::string_view{s.data(), s.size()};
  };
  return {.get = req.method() == http::verb::get,
          .head = req.method() == http::verb::head,
          .upgrade = boost::beast::websocket::is_upgrade(req),
          .target = view(req.target()),
          .authorization = view(req[http::field::authorization]),
          .accept_encoding = view(req[http::field::accept_encoding]),
          .if_none_match = view(req[http::field::if_none_match])};
}

} // namespace baton::gateway
