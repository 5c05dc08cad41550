//! Support requests `SUPPORT#<id>` / `REQUEST` (docs/dynamodb.md): written once, read
//! by the platform's support team, never by a study team.

use super::codec::{opt_s, s};
use super::transact;
use super::{DynamoStore, Item};
use crate::domain::support::SupportRequest;
use crate::ports::{IdempotencyRecord, StoreError, SupportStore};

impl SupportStore for DynamoStore {
    async fn create_support_request(
        &self,
        request: &SupportRequest,
        idempotency: Option<&IdempotencyRecord>,
    ) -> Result<(), StoreError> {
        let mut item = Item::from([
            ("pk".to_owned(), s(format!("SUPPORT#{}", request.id))),
            ("sk".to_owned(), s("REQUEST")),
            ("entity".to_owned(), s("support_request")),
            ("support_request_id".to_owned(), s(&request.id)),
            ("user_id".to_owned(), s(&request.user_id)),
            ("subject".to_owned(), s(&request.subject)),
            ("body".to_owned(), s(&request.body)),
            ("created_at".to_owned(), s(request.created_at.to_rfc3339())),
        ]);
        opt_s(&mut item, "email", request.email.as_deref());
        let put = transact::put_new(&self.table, item)?;
        self.transact(vec![put], idempotency).await
    }
}
