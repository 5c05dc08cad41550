//! Creates in the emulator the tables, bus and topics `template.yaml` declares, under a
//! prefix so several stacks (one per test binary) can share one emulator.
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, TimeToLiveSpecification,
};
use aws_sdk_sns::error::SdkError;
use serde_yaml::Value;
use std::collections::BTreeMap;
use std::future::Future;
use thiserror::Error;

use crate::template::{TableSpec, Template};

#[derive(Debug, Error)]
pub enum ProvisionError {
    #[error("table {table}: {detail}")]
    Table { table: String, detail: String },
    #[error("{resource}: {detail}")]
    Other { resource: String, detail: String },
}

/// A resource the emulator refused, with the SDK's whole error chain.
fn other(resource: &str, e: &(impl std::error::Error + 'static)) -> ProvisionError {
    ProvisionError::Other {
        resource: resource.to_string(),
        detail: aws_sdk_sns::error::DisplayErrorContext(e).to_string(),
    }
}

/// What `!Ref <logical id>` resolves to for each resource the local stack created.
#[derive(Clone, Debug, Default)]
pub struct LocalResources {
    pub refs: BTreeMap<String, String>,
}

impl LocalResources {
    /// Creates each resource of type `kind` in the template, named `prefix` + its logical
    /// id, and keeps what `!Ref` resolves to: what `create` answers for that name.
    async fn create_each<Fut, E>(
        &mut self,
        template: &Template,
        kind: &str,
        prefix: &str,
        create: impl Fn(String) -> Fut,
    ) -> Result<(), ProvisionError>
    where
        Fut: Future<Output = Result<String, E>>,
        E: std::error::Error + 'static,
    {
        for id in template.resource_ids_of_type(kind) {
            let reference = create(format!("{prefix}{id}"))
                .await
                .map_err(|e| other(&id, &e))?;
            self.refs.insert(id, reference);
        }
        Ok(())
    }
}

/// A create call's outcome, where the service's "it exists already" (`exists`) counts as
/// done: a stack before this one on the same emulator and prefix created it.
fn exists_is_ok<T, E, R>(
    created: Result<T, SdkError<E, R>>,
    exists: impl FnOnce(&E) -> bool,
) -> Result<(), SdkError<E, R>> {
    match created {
        Err(e) if !e.as_service_error().is_some_and(exists) => Err(e),
        _ => Ok(()),
    }
}

fn table_err(table: &str, detail: impl std::fmt::Display) -> ProvisionError {
    ProvisionError::Table {
        table: table.to_owned(),
        detail: detail.to_string(),
    }
}

fn key_schema(table: &str, value: Option<&Value>) -> Result<Vec<KeySchemaElement>, ProvisionError> {
    let elements = value
        .and_then(Value::as_sequence)
        .ok_or_else(|| table_err(table, "KeySchema missing"))?;
    elements
        .iter()
        .map(|e| {
            let name = e
                .get("AttributeName")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let kind = match e.get("KeyType").and_then(Value::as_str) {
                Some("HASH") => KeyType::Hash,
                Some("RANGE") => KeyType::Range,
                other => return Err(table_err(table, format!("KeyType {other:?}"))),
            };
            KeySchemaElement::builder()
                .attribute_name(name)
                .key_type(kind)
                .build()
                .map_err(|e| table_err(table, e))
        })
        .collect()
}

async fn create_table(
    client: &aws_sdk_dynamodb::Client,
    spec: &TableSpec,
    name: &str,
) -> Result<(), ProvisionError> {
    let props = &spec.properties;
    let mut request = client
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .set_key_schema(Some(key_schema(name, props.get("KeySchema"))?));
    for def in props
        .get("AttributeDefinitions")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
    {
        let kind = match def.get("AttributeType").and_then(Value::as_str) {
            Some("S") => ScalarAttributeType::S,
            Some("N") => ScalarAttributeType::N,
            Some("B") => ScalarAttributeType::B,
            other => return Err(table_err(name, format!("AttributeType {other:?}"))),
        };
        request = request.attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name(
                    def.get("AttributeName")
                        .and_then(Value::as_str)
                        .unwrap_or_default(),
                )
                .attribute_type(kind)
                .build()
                .map_err(|e| table_err(name, e))?,
        );
    }
    for gsi in props
        .get("GlobalSecondaryIndexes")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
    {
        let projection = match gsi
            .get("Projection")
            .and_then(|p| p.get("ProjectionType"))
            .and_then(Value::as_str)
        {
            Some("KEYS_ONLY") => ProjectionType::KeysOnly,
            _ => ProjectionType::All,
        };
        request = request.global_secondary_indexes(
            GlobalSecondaryIndex::builder()
                .index_name(
                    gsi.get("IndexName")
                        .and_then(Value::as_str)
                        .unwrap_or_default(),
                )
                .set_key_schema(Some(key_schema(name, gsi.get("KeySchema"))?))
                .projection(Projection::builder().projection_type(projection).build())
                .build()
                .map_err(|e| table_err(name, e))?,
        );
    }
    let created = request.send().await;
    exists_is_ok(created, |e| e.is_resource_in_use_exception())
        .map_err(|e| table_err(name, aws_sdk_dynamodb::error::DisplayErrorContext(&e)))?;
    if let Some(ttl) = props.get("TimeToLiveSpecification") {
        let attribute = ttl
            .get("AttributeName")
            .and_then(Value::as_str)
            .unwrap_or_default();
        client
            .update_time_to_live()
            .table_name(name)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .attribute_name(attribute)
                    .enabled(true)
                    .build()
                    .map_err(|e| table_err(name, e))?,
            )
            .send()
            .await
            .map_err(|e| table_err(name, aws_sdk_dynamodb::error::DisplayErrorContext(&e)))?;
    }
    Ok(())
}

/// Creates every table, event bus and SNS topic of the template under `prefix`.
pub async fn provision(
    sdk: &aws_config::SdkConfig,
    template: &Template,
    prefix: &str,
    parameters: &BTreeMap<String, String>,
) -> Result<LocalResources, ProvisionError> {
    let mut resources = LocalResources::default();
    let dynamodb = aws_sdk_dynamodb::Client::new(sdk);
    for table in template.tables() {
        let name = format!("{prefix}{}", table.logical_id);
        create_table(&dynamodb, &table, &name).await?;
        resources.refs.insert(table.logical_id.clone(), name);
    }
    let events = &aws_sdk_eventbridge::Client::new(sdk);
    resources
        .create_each(
            template,
            "AWS::Events::EventBus",
            prefix,
            |name| async move {
                let created = events.create_event_bus().name(&name).send().await;
                exists_is_ok(created, |e| e.is_resource_already_exists_exception()).map(|()| name)
            },
        )
        .await?;
    let sns = &aws_sdk_sns::Client::new(sdk);
    resources
        .create_each(template, "AWS::SNS::Topic", prefix, |name| async move {
            let created = sns.create_topic().name(name).send().await;
            created.map(|out| out.topic_arn.unwrap_or_default())
        })
        .await?;
    let sqs = &aws_sdk_sqs::Client::new(sdk);
    resources
        .create_each(template, "AWS::SQS::Queue", prefix, |name| async move {
            let created = sqs.create_queue().queue_name(name).send().await;
            created.map(|out| out.queue_url.unwrap_or_default())
        })
        .await?;
    // SES refuses to send from an unverified address; the template verifies ours.
    let ses = &aws_sdk_sesv2::Client::new(sdk);
    for (id, identity) in template.email_identities(parameters) {
        let created = ses
            .create_email_identity()
            .email_identity(&identity)
            .send()
            .await;
        exists_is_ok(created, |e| e.is_already_exists_exception()).map_err(|e| other(&id, &e))?;
    }
    // Every email names the template's configuration set, as in AWS; SES refuses a
    // send that names a configuration set it does not have.
    resources
        .create_each(
            template,
            "AWS::SES::ConfigurationSet",
            prefix,
            |name| async move {
                let created = ses
                    .create_configuration_set()
                    .configuration_set_name(&name)
                    .send()
                    .await;
                exists_is_ok(created, |e| e.is_already_exists_exception()).map(|()| name)
            },
        )
        .await?;
    Ok(resources)
}

/// The emulated Secrets Manager secret holding the local panel's credentials, as the
/// template's `PanelCredentialsSecretArn` names one in AWS. Returns its ARN.
pub async fn panel_credentials_secret(
    sdk: &aws_config::SdkConfig,
    prefix: &str,
    api_key: &str,
    webhook_secret: &str,
) -> Result<String, ProvisionError> {
    let value = serde_json::json!({"api_key": api_key, "webhook_secret": webhook_secret});
    let name = format!("{prefix}panel-credentials");
    let client = aws_sdk_secretsmanager::Client::new(sdk);
    let err = |e: &dyn std::fmt::Display| ProvisionError::Other {
        resource: "PanelCredentialsSecret".to_owned(),
        detail: e.to_string(),
    };
    let created = client
        .create_secret()
        .name(&name)
        .secret_string(value.to_string())
        .send()
        .await;
    match created {
        Ok(out) => Ok(out.arn.unwrap_or_default()),
        // A second stack on the same emulator and prefix: take the secret over.
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_exists_exception()) =>
        {
            let out = client
                .put_secret_value()
                .secret_id(&name)
                .secret_string(value.to_string())
                .send()
                .await
                .map_err(|e| err(&aws_sdk_secretsmanager::error::DisplayErrorContext(&e)))?;
            Ok(out.arn.unwrap_or_default())
        }
        Err(e) => Err(err(&aws_sdk_secretsmanager::error::DisplayErrorContext(&e))),
    }
}
