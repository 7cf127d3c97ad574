// The registry: adding an output is one folder plus one line here.
import type { AnyOutputPlugin } from '../src/plugin/types.ts';
import alertmanager from './alertmanager/index.ts';
import awssecurityhub from './awssecurityhub/index.ts';
import awssqs from './awssqs/index.ts';
import awssns from './awssns/index.ts';
import awss3 from './awss3/index.ts';
import awscloudwatchlogs from './awscloudwatchlogs/index.ts';
import awskinesis from './awskinesis/index.ts';
import awslambda from './awslambda/index.ts';
import influxdb from './influxdb/index.ts';
import statsd from './statsd/index.ts';
import dogstatsd from './dogstatsd/index.ts';
import smtp from './smtp/index.ts';
import syslog from './syslog/index.ts';
import splunk from './splunk/index.ts';
import elasticsearch from './elasticsearch/index.ts';
import opsgenie from './opsgenie/index.ts';
import pagerduty from './pagerduty/index.ts';
import kafka from './kafka/index.ts';
import loki from './loki/index.ts';
import otlp from './otlp/index.ts';
import stdout from './stdout/index.ts';
import webhook from './webhook/index.ts';
import slack from './slack/index.ts';
import mattermost from './mattermost/index.ts';
import rocketchat from './rocketchat/index.ts';
import teams from './teams/index.ts';
import discord from './discord/index.ts';
import googlechat from './googlechat/index.ts';
import telegram from './telegram/index.ts';
import webex from './webex/index.ts';
import cliq from './cliq/index.ts';
import gotify from './gotify/index.ts';
import talon from './talon/index.ts';
import nodered from './nodered/index.ts';
import n8n from './n8n/index.ts';
import grafanaoncall from './grafanaoncall/index.ts';
import datadog from './datadog/index.ts';
import datadoglogs from './datadoglogs/index.ts';
import sumologic from './sumologic/index.ts';
import cloudevents from './cloudevents/index.ts';
import kafkarest from './kafkarest/index.ts';
import openobserve from './openobserve/index.ts';
import grafana from './grafana/index.ts';
import rabbitmq from './rabbitmq/index.ts';
import redis from './redis/index.ts';
import nats from './nats/index.ts';
import mqtt from './mqtt/index.ts';
import webui from './webui/index.ts';
import dynatrace from './dynatrace/index.ts';
import tekton from './tekton/index.ts';
import openfaas from './openfaas/index.ts';
import fission from './fission/index.ts';
import kubeless from './kubeless/index.ts';
import logstash from './logstash/index.ts';
import zincsearch from './zincsearch/index.ts';
import quickwit from './quickwit/index.ts';

export const outputs: readonly AnyOutputPlugin[] = [
  stdout, webhook, elasticsearch, splunk, kafka, awssecurityhub, awssqs, awssns, awss3, awscloudwatchlogs, awskinesis, awslambda, influxdb, statsd, dogstatsd,
  slack, mattermost, rocketchat, teams, discord, googlechat, telegram, webex, cliq, gotify, alertmanager, pagerduty, opsgenie, loki, otlp, smtp, syslog,
  talon, nodered, n8n, grafanaoncall, datadog, datadoglogs, sumologic, cloudevents, kafkarest, openobserve, grafana, redis, nats, mqtt, rabbitmq,
  webui, dynatrace, tekton, openfaas, fission, kubeless, logstash, zincsearch, quickwit,
];
