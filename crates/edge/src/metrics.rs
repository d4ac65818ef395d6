//! Prometheus metrics: requests and their latency per route template and status, requests in
//! flight, and the answers that shed load (503) or refused a client over its limit (429); plus
//! the gauges the service reports (database pools). Served at `GET /metrics` to loopback
//! clients, or to anyone presenting the configured metrics token.

use std::{sync::Arc, time::Instant};

use poem::{
    Endpoint, IntoResponse, Middleware, Request, Response, Result,
    http::{StatusCode, header},
};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

use crate::{Service, client::client_ip_of};

/// Names the route a path belongs to (its template), so metrics count per route and not per
/// id; the transports know their routes, the edge does not.
pub type RouteLabel = fn(&str) -> Option<&'static str>;

#[derive(Debug, Clone)]
pub struct Metrics(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    in_flight: IntGauge,
    token: Option<String>,
    routes: RouteLabel,
}

impl Metrics {
    pub fn new(token: Option<String>, routes: RouteLabel) -> Result<Self, prometheus::Error> {
        let registry = Registry::new_custom(Some("fixdesk".into()), None)?;
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by method, route and status",
            ),
            &["method", "route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time to answer, by method and route",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ]),
            &["method", "route"],
        )?;
        let in_flight = IntGauge::new("http_requests_in_flight", "Requests being answered")?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(in_flight.clone()))?;
        Ok(Self(Arc::new(Inner {
            registry,
            requests,
            latency,
            in_flight,
            token,
            routes,
        })))
    }

    /// The text exposition, with the service's gauges appended.
    async fn render(&self, service: Option<&Service>) -> String {
        let mut out = Vec::new();
        let _ = TextEncoder::new().encode(&self.0.registry.gather(), &mut out);
        let mut text = String::from_utf8(out).unwrap_or_default();
        if let Some(service) = service {
            for g in service.gauges().await {
                let (name, help, value) = (g.name, g.help, g.value);
                text.push_str(&format!("# HELP fixdesk_{name} {help}\n# TYPE fixdesk_{name} gauge\nfixdesk_{name} {value}\n"));
            }
        }
        text
    }

    fn allowed(&self, req: &Request) -> bool {
        // The client as worked out behind trusted proxies: behind a local reverse proxy every
        // peer is loopback.
        let loopback = client_ip_of(req).is_some_and(|ip| ip.to_canonical().is_loopback());
        let bearer = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        match &self.0.token {
            Some(t) => bearer == Some(t.as_str()),
            None => loopback,
        }
    }
}

impl<E: Endpoint> Middleware<E> for Metrics {
    type Output = MetricsEndpoint<E>;

    fn transform(&self, ep: E) -> Self::Output {
        MetricsEndpoint {
            inner: ep,
            metrics: self.clone(),
        }
    }
}

#[derive(Debug)]
pub struct MetricsEndpoint<E> {
    inner: E,
    metrics: Metrics,
}

impl<E: Endpoint> Endpoint for MetricsEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> Result<Response> {
        if req.uri().path() == "/metrics" {
            if !self.metrics.allowed(&req) {
                return Ok(StatusCode::NOT_FOUND.into_response());
            }
            let body = self.metrics.render(req.data::<Service>()).await;
            return Ok(Response::builder()
                .content_type("text/plain; version=0.0.4")
                .body(body));
        }
        let m = &self.metrics.0;
        // Labels are borrowed, never built: this runs on every request.
        let method = req.method().clone();
        let path = req.uri().path();
        let route = (m.routes)(path).unwrap_or_else(|| probe_label(path));
        let started = Instant::now();
        m.in_flight.inc();
        let result = self.inner.call(req).await.map(IntoResponse::into_response);
        m.in_flight.dec();
        let status = match &result {
            Ok(r) => r.status(),
            Err(e) => e.status(),
        };
        m.requests
            .with_label_values(&[method.as_str(), route, status.as_str()])
            .inc();
        m.latency
            .with_label_values(&[method.as_str(), route])
            .observe(started.elapsed().as_secs_f64());
        result
    }
}

/// The probes are labelled by their path; every other path no transport names is "other".
fn probe_label(path: &str) -> &'static str {
    match path {
        "/health" => "/health",
        "/ready" => "/ready",
        "/metrics" => "/metrics",
        _ => "other",
    }
}
