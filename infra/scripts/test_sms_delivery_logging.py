"""The deploy step that turns SNS's SMS delivery-status logging on, against the emulator
(run under infra/scripts/with-emulator.sh; `make test` does): it names the role with 100 %
success sampling, is idempotent, and leaves another role in place unless told to
replace it.

Run: .venv/bin/python -m unittest discover -s infra/scripts -p 'test_*.py'
"""
import os
import unittest

import boto3

import sms_delivery_logging as step

ROLE = "arn:aws:iam::123456789012:role/stack-SmsDeliveryLogsRole-1"
OTHER = "arn:aws:iam::123456789012:role/someone-elses-role"


class TurnOn(unittest.TestCase):
    def setUp(self):
        self.assertIn("AWS_ENDPOINT_URL", os.environ, "run under with-emulator.sh")
        self.sns = boto3.client("sns")
        # A fresh account state for each test.
        self.sns.set_sms_attributes(attributes={"DeliveryStatusIAMRole": ""})

    def attributes(self):
        return self.sns.get_sms_attributes()["attributes"]

    def test_names_the_role_and_logs_every_success(self):
        self.assertEqual(step.turn_on(self.sns, ROLE, replace=False), "turned on")
        self.assertEqual(self.attributes()["DeliveryStatusIAMRole"], ROLE)
        self.assertEqual(self.attributes()["DeliveryStatusSuccessSamplingRate"], "100")
        self.assertEqual(step.turn_on(self.sns, ROLE, replace=False), "already on")

    def test_another_role_stays_unless_replaced(self):
        self.sns.set_sms_attributes(attributes={"DeliveryStatusIAMRole": OTHER})
        with self.assertRaises(SystemExit):
            step.turn_on(self.sns, ROLE, replace=False)
        self.assertEqual(self.attributes()["DeliveryStatusIAMRole"], OTHER)
        step.turn_on(self.sns, ROLE, replace=True)
        self.assertEqual(self.attributes()["DeliveryStatusIAMRole"], ROLE)


if __name__ == "__main__":
    unittest.main()
