//! Who the client is: the TCP peer, or, when the peer is one of the office's own reverse proxies,
//! the address that proxy says it is forwarding for. Throttles, connection caps and the audit
//! log all key on this one answer.

use std::net::IpAddr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// A list of addresses and CIDR ranges, as written in settings: `10.0.0.0/8, 192.0.2.7, ::1`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressRanges(Vec<IpNet>);

impl AddressRanges {
    pub fn parse(text: &str) -> Result<AddressRanges, String> {
        let mut ranges = Vec::new();
        for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let range = match item.parse::<IpNet>() {
                Ok(net) => net,
                Err(_) => match item.parse::<IpAddr>() {
                    Ok(address) => IpNet::from(address),
                    Err(_) => return Err(format!("{item:?} is not an address or CIDR range like 10.0.0.0/8")),
                },
            };
            ranges.push(range);
        }
        Ok(AddressRanges(ranges))
    }

    pub fn contains(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        self.0.iter().any(|range| range.contains(&address))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// An IPv4 address reached over IPv6 (`::ffff:192.0.2.1`) is that IPv4 address.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(address),
        v4 => v4,
    }
}

/// The addresses a request passed through, nearest the client first, as the proxies reported
/// them: `X-Forwarded-For`, or else the standard `Forwarded` header.
fn forwarded_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let xff: Vec<&str> = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
    if !xff.is_empty() {
        return xff.iter().flat_map(|v| v.split(',')).map(|item| parse_node(item.trim())).collect();
    }
    headers
        .get_all("forwarded")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (key, value) = pair.trim().split_once('=')?;
                key.trim().eq_ignore_ascii_case("for").then(|| parse_node(value.trim()))
            })
        })
        .collect()
}

/// `192.0.2.1`, `192.0.2.1:4711`, `"[2001:db8::1]:4711"`, `2001:db8::1`; `unknown` or an
/// obfuscated name is no address.
fn parse_node(text: &str) -> Option<IpAddr> {
    let text = text.trim_matches('"');
    if let Ok(address) = text.parse::<IpAddr>() {
        return Some(canonical(address));
    }
    if let Some(rest) = text.strip_prefix('[') {
        return rest.split_once(']').and_then(|(inner, _)| inner.parse().ok()).map(canonical);
    }
    text.rsplit_once(':').and_then(|(host, port)| port.parse::<u16>().ok().and(host.parse().ok())).map(canonical)
}

/// The client's address. Forwarding headers are believed only from a trusted proxy, and read
/// from the right: each trusted proxy vouches for the hop before it, and the first address not
/// itself a trusted proxy is the client. A header from anyone else is ignored, so a visitor
/// cannot choose their own address.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &AddressRanges) -> IpAddr {
    let peer = canonical(peer);
    if trusted.is_empty() || !trusted.contains(peer) {
        return peer;
    }
    let mut client = peer;
    for hop in forwarded_chain(headers).into_iter().rev() {
        match hop {
            Some(address) => {
                client = address;
                if !trusted.contains(address) {
                    break;
                }
            }
            // A hop the proxy could not name: stop at the last address it could.
            None => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;
    use proptest::prelude::*;

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(*k, HeaderValue::from_str(v).expect("ascii"));
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("address")
    }

    #[test]
    fn forwarding_headers_are_believed_only_from_trusted_proxies() {
        let trusted = AddressRanges::parse("10.0.0.0/8, 192.0.2.7").expect("ranges");
        // (TCP peer, headers it sent, the client we should see)
        type Case<'a> = (&'a str, &'a [(&'static str, &'a str)], &'a str);
        let cases: &[Case] = &[
            // No proxy configured for this peer: the peer, whatever it claims.
            ("198.51.100.9", &[("x-forwarded-for", "203.0.113.1")], "198.51.100.9"),
            // The proxy says who it forwards for.
            ("10.1.2.3", &[("x-forwarded-for", "203.0.113.1")], "203.0.113.1"),
            // A client's own forged entry sits left of what the proxy appended: ignored.
            ("10.1.2.3", &[("x-forwarded-for", "1.1.1.1, 203.0.113.1")], "203.0.113.1"),
            // Two proxies of ours in a row.
            ("10.1.2.3", &[("x-forwarded-for", "203.0.113.1, 192.0.2.7")], "203.0.113.1"),
            // Repeated headers are one list.
            ("10.1.2.3", &[("x-forwarded-for", "1.1.1.1"), ("x-forwarded-for", "203.0.113.5")], "203.0.113.5"),
            // The standard header, with ports and IPv6.
            ("10.1.2.3", &[("forwarded", "for=\"[2001:db8::17]:4711\";proto=https")], "2001:db8::17"),
            ("10.1.2.3", &[("forwarded", "for=203.0.113.9:55, for=192.0.2.7")], "203.0.113.9"),
            // The proxy sent nothing: the proxy itself.
            ("10.1.2.3", &[], "10.1.2.3"),
            // Rubbish from the proxy: stop at the last address it could name.
            ("10.1.2.3", &[("x-forwarded-for", "unknown")], "10.1.2.3"),
            // IPv4 through an IPv6 socket.
            ("::ffff:10.1.2.3", &[("x-forwarded-for", "203.0.113.1")], "203.0.113.1"),
        ];
        for (peer, pairs, expected) in cases {
            assert_eq!(client_address(ip(peer), &headers(pairs), &trusted), ip(expected), "{peer} {pairs:?}");
        }
    }

    #[test]
    fn settings_lists_are_checked() {
        assert!(AddressRanges::parse("").expect("empty").is_empty());
        assert!(AddressRanges::parse("10.0.0.0/8,::1, 192.0.2.1").is_ok());
        assert!(AddressRanges::parse("10.0.0.0/33").is_err());
        assert!(AddressRanges::parse("proxy.internal").is_err());
    }

    proptest! {
        #[test]
        fn without_trusted_proxies_the_peer_is_always_the_client(a in any::<u32>(), b in any::<u32>()) {
            let forged = std::net::Ipv4Addr::from(b).to_string();
            let peer = IpAddr::V4(std::net::Ipv4Addr::from(a));
            prop_assert_eq!(client_address(peer, &headers(&[("x-forwarded-for", &forged)]), &AddressRanges::default()), peer);
        }
    }
}
