//! Reads `template.yaml`: the functions and their routes, the tables, the bus and the
//! topics. The local stack builds itself from this, never from a second list.
use serde_yaml::Value;
use std::collections::BTreeMap;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum TemplateError {
    #[error("cannot read the template: {0}")]
    Read(#[from] std::io::Error),
    #[error("the template is not valid YAML: {0}")]
    Yaml(#[from] serde_yaml::Error),
    #[error("the template is missing {0}")]
    Missing(String),
}

#[derive(Clone, Debug)]
pub struct Template {
    root: Value,
}

/// One HTTP route of the API, as a function's `HttpApi` event declares it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRoute {
    pub function: String,
    pub method: String,
    pub path: String,
    /// False where the event sets `Auth: {Authorizer: NONE}` (public and webhook routes).
    pub authorized: bool,
}

impl HttpRoute {
    pub fn route_key(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// A DynamoDB table declared in the template, with its logical id.
#[derive(Clone, Debug)]
pub struct TableSpec {
    pub logical_id: String,
    pub properties: Value,
}

/// Where an intrinsic function (`!Ref X` or `{Ref: X}`) appears, its name and argument.
pub fn intrinsic(value: &Value) -> Option<(String, &Value)> {
    match value {
        Value::Tagged(tagged) => {
            let tag = tagged.tag.to_string();
            let name = tag.trim_start_matches('!');
            let name = if name == "Ref" {
                "Ref".to_owned()
            } else {
                format!("Fn::{name}")
            };
            Some((name, &tagged.value))
        }
        Value::Mapping(map) if map.len() == 1 => {
            let (k, v) = map.iter().next()?;
            let k = k.as_str()?;
            (k == "Ref" || k.starts_with("Fn::")).then(|| (k.to_owned(), v))
        }
        _ => None,
    }
}

impl Template {
    pub fn load(path: &std::path::Path) -> Result<Self, TemplateError> {
        Self::parse(&std::fs::read_to_string(path)?)
    }

    pub fn parse(text: &str) -> Result<Self, TemplateError> {
        Ok(Self {
            root: serde_yaml::from_str(text)?,
        })
    }

    fn resources(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.root
            .get("Resources")
            .and_then(Value::as_mapping)
            .into_iter()
            .flat_map(|m| m.iter())
            .filter_map(|(k, v)| Some((k.as_str()?, v)))
    }

    fn resources_of_type<'a>(
        &'a self,
        kind: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a Value)> + 'a {
        self.resources()
            .filter(move |(_, r)| r.get("Type").and_then(Value::as_str) == Some(kind))
    }

    /// The metrics in the stack's own namespace (`Ref AWS::StackName`) that the
    /// dashboards graph (single metrics and `SEARCH('{ns,Dim…} MetricName="…"')`
    /// expressions) and the alarms watch: (metric name, dimension names).
    pub fn own_metrics_watched(&self) -> Vec<(String, Vec<String>)> {
        const NS: &str = "@stack@";
        let mut out = Vec::new();
        for (_, dashboard) in self.resources_of_type("AWS::CloudWatch::Dashboard") {
            let Some(body) = dashboard
                .get("Properties")
                .and_then(|p| p.get("DashboardBody"))
                .and_then(|b| intrinsic(b).map(|(_, v)| v).or(Some(b)))
                .and_then(Value::as_str)
            else {
                continue;
            };
            let body = body.replace("${AWS::StackName}", NS);
            let mut plain = String::with_capacity(body.len());
            let mut rest = body.as_str();
            while let Some(at) = rest.find("${") {
                plain.push_str(&rest[..at]);
                let end = rest[at..]
                    .find('}')
                    .map(|e| at + e + 1)
                    .unwrap_or(rest.len());
                plain.push('X');
                rest = &rest[end..];
            }
            plain.push_str(rest);
            let Ok(json) = serde_json::from_str::<serde_json::Value>(&plain) else {
                out.push(("(dashboard body is not JSON)".to_owned(), Vec::new()));
                continue;
            };
            for widget in json["widgets"].as_array().into_iter().flatten() {
                for metric in widget["properties"]["metrics"]
                    .as_array()
                    .into_iter()
                    .flatten()
                {
                    let Some(parts) = metric.as_array() else {
                        continue;
                    };
                    if let Some(expr) = parts.first().and_then(|p| p["expression"].as_str()) {
                        // SEARCH('{ns,Dim1,Dim2} MetricName="Name"', …)
                        let schema = expr.split('{').nth(1).and_then(|s| s.split('}').next());
                        let name = expr
                            .split("MetricName=\"")
                            .nth(1)
                            .and_then(|s| s.split('"').next());
                        if let (Some(schema), Some(name)) = (schema, name) {
                            let mut keys = schema.split(',').map(str::trim);
                            if keys.next() == Some(NS) {
                                out.push((name.to_owned(), keys.map(str::to_owned).collect()));
                            }
                        }
                        continue;
                    }
                    let strings: Vec<&str> = parts.iter().map_while(|p| p.as_str()).collect();
                    if strings.first() == Some(&NS) && strings.len() >= 2 {
                        let dims = strings[2..]
                            .iter()
                            .step_by(2)
                            .map(|d| (*d).to_owned())
                            .collect();
                        out.push((strings[1].to_owned(), dims));
                    }
                }
            }
        }
        for (_, alarm) in self.resources_of_type("AWS::CloudWatch::Alarm") {
            let props = alarm.get("Properties");
            let namespace = props.and_then(|p| p.get("Namespace"));
            let own = namespace
                .and_then(intrinsic)
                .is_some_and(|(n, v)| n == "Ref" && v.as_str() == Some("AWS::StackName"));
            if !own {
                continue;
            }
            let name = props
                .and_then(|p| p.get("MetricName"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let dims = props
                .and_then(|p| p.get("Dimensions"))
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
                .filter_map(|d| d.get("Name").and_then(Value::as_str).map(str::to_owned))
                .collect();
            out.push((name, dims));
        }
        out
    }

    pub fn resource_type(&self, logical_id: &str) -> Option<&str> {
        self.resources()
            .find(|(id, _)| *id == logical_id)
            .and_then(|(_, r)| r.get("Type"))
            .and_then(Value::as_str)
    }

    /// The SES identities the template verifies (`AWS::SES::EmailIdentity`), with
    /// `!Ref` to a parameter resolved from `parameters`.
    pub fn email_identities(&self, parameters: &BTreeMap<String, String>) -> Vec<(String, String)> {
        self.resources_of_type("AWS::SES::EmailIdentity")
            .filter_map(|(id, r)| {
                let value = r.get("Properties")?.get("EmailIdentity")?;
                let identity = match intrinsic(value) {
                    Some((name, target)) if name == "Ref" => {
                        parameters.get(target.as_str()?)?.clone()
                    }
                    Some(_) => return None,
                    None => value.as_str()?.to_owned(),
                };
                Some((id.to_owned(), identity))
            })
            .collect()
    }

    pub fn function_ids(&self) -> Vec<String> {
        self.resources_of_type("AWS::Serverless::Function")
            .map(|(id, _)| id.to_owned())
            .collect()
    }

    /// Every function's events of the given SAM event type, as (function, properties).
    pub fn function_events(&self, event_type: &str) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        for (id, function) in self.resources_of_type("AWS::Serverless::Function") {
            let events = function
                .get("Properties")
                .and_then(|p| p.get("Events"))
                .and_then(Value::as_mapping);
            for (_, event) in events.into_iter().flat_map(|m| m.iter()) {
                if event.get("Type").and_then(Value::as_str) == Some(event_type) {
                    let props = event.get("Properties").cloned().unwrap_or(Value::Null);
                    out.push((id.to_owned(), props));
                }
            }
        }
        out
    }

    pub fn http_routes(&self) -> Result<Vec<HttpRoute>, TemplateError> {
        self.function_events("HttpApi")
            .into_iter()
            .map(|(function, props)| {
                let field = |name: &str| {
                    props
                        .get(name)
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                        .ok_or_else(|| {
                            TemplateError::Missing(format!(
                                "{name} on an HttpApi event of {function}"
                            ))
                        })
                };
                let authorizer = props
                    .get("Auth")
                    .and_then(|a| a.get("Authorizer"))
                    .and_then(Value::as_str);
                Ok(HttpRoute {
                    method: field("Method")?.to_uppercase(),
                    path: field("Path")?,
                    authorized: authorizer != Some("NONE"),
                    function: function.clone(),
                })
            })
            .collect()
    }

    pub fn tables(&self) -> Vec<TableSpec> {
        self.resources_of_type("AWS::DynamoDB::Table")
            .map(|(id, r)| TableSpec {
                logical_id: id.to_owned(),
                properties: r.get("Properties").cloned().unwrap_or(Value::Null),
            })
            .collect()
    }

    /// Every `AWS::Logs::SubscriptionFilter` to a function of the template, as (filter,
    /// log group name as written, with `${AWS::Region}` and `${AWS::AccountId}` left in,
    /// function). A group given by `!Ref` to a log group of the template, or under
    /// `!If`, is read from the group the first branch creates.
    pub fn log_subscriptions(&self) -> Vec<(String, String, String)> {
        let group_name = |value: &Value| -> Option<String> {
            let mut value = value;
            if let Some((name, arg)) = intrinsic(value) {
                if name == "Fn::If" {
                    value = arg.as_sequence()?.get(1)?;
                }
            }
            match intrinsic(value) {
                Some((name, arg)) if name == "Ref" => {
                    let id = arg.as_str()?;
                    let (_, group) = self.resources().find(|(gid, _)| *gid == id)?;
                    let name = group.get("Properties")?.get("LogGroupName")?;
                    match intrinsic(name) {
                        Some((n, text)) if n == "Fn::Sub" => text.as_str().map(str::to_owned),
                        _ => name.as_str().map(str::to_owned),
                    }
                }
                Some((name, text)) if name == "Fn::Sub" => text.as_str().map(str::to_owned),
                _ => value.as_str().map(str::to_owned),
            }
        };
        self.resources_of_type("AWS::Logs::SubscriptionFilter")
            .filter_map(|(id, r)| {
                let props = r.get("Properties")?;
                let group = group_name(props.get("LogGroupName")?)?;
                let (name, arg) = intrinsic(props.get("DestinationArn")?)?;
                let function = match arg {
                    Value::Sequence(parts) if name == "Fn::GetAtt" => parts.first()?.as_str()?,
                    Value::String(s) if name == "Fn::GetAtt" => s.split('.').next()?,
                    _ => return None,
                };
                Some((id.to_owned(), group, function.to_owned()))
            })
            .collect()
    }

    pub fn resource_ids_of_type(&self, kind: &str) -> Vec<String> {
        self.resources_of_type(kind)
            .map(|(id, _)| id.to_owned())
            .collect()
    }

    pub fn parameter_defaults(&self) -> BTreeMap<String, String> {
        let params = self.root.get("Parameters").and_then(Value::as_mapping);
        params
            .into_iter()
            .flat_map(|m| m.iter())
            .filter_map(|(k, v)| {
                let default = match v.get("Default")? {
                    Value::String(s) => s.clone(),
                    other => serde_yaml::to_string(other).ok()?.trim().to_owned(),
                };
                Some((k.as_str()?.to_owned(), default))
            })
            .collect()
    }

    /// The environment a function runs with: the template's global variables, then its
    /// own, with intrinsic references left for the caller to resolve.
    pub fn function_environment(&self, function: &str) -> BTreeMap<String, Value> {
        let variables = |v: Option<&Value>| -> BTreeMap<String, Value> {
            v.and_then(|v| v.get("Environment"))
                .and_then(|e| e.get("Variables"))
                .and_then(Value::as_mapping)
                .into_iter()
                .flat_map(|m| m.iter())
                .filter_map(|(k, v)| Some((k.as_str()?.to_owned(), v.clone())))
                .collect()
        };
        let mut env = variables(self.root.get("Globals").and_then(|g| g.get("Function")));
        let own = self
            .resources()
            .find(|(id, _)| *id == function)
            .and_then(|(_, r)| r.get("Properties"));
        env.extend(variables(own));
        env
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = r#"
Parameters:
  ProductName: {Type: String, Default: Rally}
Globals:
  Function:
    Environment:
      Variables:
        TABLE_NAME: !Ref MainTable
        PRODUCT_NAME: {Ref: ProductName}
Resources:
  MainTable:
    Type: AWS::DynamoDB::Table
    Properties: {BillingMode: PAY_PER_REQUEST}
  ApiFunction:
    Type: AWS::Serverless::Function
    Properties:
      Environment: {Variables: {EXTRA: "1"}}
      Events:
        A: {Type: HttpApi, Properties: {Method: get, Path: "/things/{id}"}}
        B: {Type: HttpApi, Properties: {Method: POST, Path: /public/x, Auth: {Authorizer: NONE}}}
"#;

    #[test]
    fn reads_routes_tables_and_environment() {
        let t = Template::parse(TEMPLATE).unwrap();
        let routes = t.http_routes().unwrap();
        assert_eq!(routes[0].route_key(), "GET /things/{id}");
        assert!(routes[0].authorized);
        assert!(!routes[1].authorized);
        assert_eq!(t.tables()[0].logical_id, "MainTable");
        let env = t.function_environment("ApiFunction");
        let (name, arg) = intrinsic(&env["TABLE_NAME"]).unwrap();
        assert_eq!((name.as_str(), arg.as_str()), ("Ref", Some("MainTable")));
        let (name, _) = intrinsic(&env["PRODUCT_NAME"]).unwrap();
        assert_eq!(name, "Ref");
        assert_eq!(env["EXTRA"].as_str(), Some("1"));
        assert_eq!(t.parameter_defaults()["ProductName"], "Rally");
    }
}
