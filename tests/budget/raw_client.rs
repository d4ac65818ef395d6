//! An HTTP/1.1 client that allocates nothing per request: prepared bytes out, the answer read
//! into one buffer reserved up front, just enough parsing to know where it ends.

use std::{
    io::{Read, Write},
    net::TcpStream,
};

pub struct RawClient {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl RawClient {
    pub fn connect(addr: &str) -> Self {
        let stream = TcpStream::connect(addr).expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        Self {
            stream,
            buf: Vec::with_capacity(4 << 20),
        }
    }

    /// Sends one request and reads its whole answer; returns the status.
    pub fn send(&mut self, request: &[u8]) -> u16 {
        self.stream.write_all(request).expect("write");
        self.buf.clear();
        let head_end = loop {
            self.fill();
            if let Some(i) = find(&self.buf, b"\r\n\r\n") {
                break i + 4;
            }
        };
        let head = &self.buf[..head_end];
        let status = std::str::from_utf8(&head[9..12])
            .expect("status")
            .parse()
            .expect("status code");
        if let Some(len) = header(head, b"content-length:") {
            let len: usize = std::str::from_utf8(len)
                .expect("length")
                .trim()
                .parse()
                .expect("length");
            while self.buf.len() < head_end + len {
                self.fill();
            }
        } else if header(head, b"transfer-encoding:").is_some() {
            while !self.buf.ends_with(b"0\r\n\r\n") {
                self.fill();
            }
        }
        status
    }

    fn fill(&mut self) {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk).expect("read");
        assert!(n > 0, "the server closed the connection");
        assert!(
            self.buf.len() + n <= self.buf.capacity(),
            "answer larger than the reserved buffer"
        );
        self.buf.extend_from_slice(&chunk[..n]);
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The value of a header (its lower-case name with the colon), in a response head.
fn header<'a>(head: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    head.split(|b| *b == b'\n').find_map(|line| {
        (line.len() > name.len() && line[..name.len()].eq_ignore_ascii_case(name))
            .then(|| &line[name.len()..])
    })
}
