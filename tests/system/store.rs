//! The store's one conditional update (`adapters/dynamodb/update.rs`), through the real
//! SDK against DynamoDB Local: an update of an item that is gone is the state
//! `ConditionFailed` (a 404 or 409 to the caller), never `Unavailable` (a 503 that says
//! "try later" for something that will never succeed), and it writes nothing.
use shared::adapters::dynamodb::DynamoStore;
use shared::ports::{ParticipantStore, StoreError, StudyStore, WorkspaceStore};

async fn store() -> DynamoStore {
    let stack = system_tests::stack();
    let sdk = shared::aws::emulator_sdk_config(&stack.emulator_url).await;
    DynamoStore::new(
        aws_sdk_dynamodb::Client::new(&sdk),
        format!("{}MainTable", stack.prefix),
        format!("{}ConsentTable", stack.prefix),
    )
}

#[tokio::test]
async fn an_update_of_an_item_that_is_gone_is_condition_failed_and_writes_nothing() {
    let store = store().await;
    let missing = format!("missing-{}", uuid::Uuid::new_v4().simple());
    assert!(matches!(
        store.set_interview_reminder(&missing, true).await,
        Err(StoreError::ConditionFailed)
    ));
    assert!(matches!(
        store.set_sms_enabled(&missing, true).await,
        Err(StoreError::ConditionFailed)
    ));
    assert!(matches!(
        store.approve_participant(&missing, &missing).await,
        Err(StoreError::ConditionFailed)
    ));
    assert!(store.get_study(&missing).await.unwrap().is_none());
    assert!(store.get_workspace(&missing).await.unwrap().is_none());
}
