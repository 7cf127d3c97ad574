// The registry: adding an output is one folder plus one line here.
import type { AnyOutputPlugin } from '../src/plugin/types.ts';
import awssecurityhub from './awssecurityhub/index.ts';
import awssqs from './awssqs/index.ts';
import awss3 from './awss3/index.ts';
import awscloudwatchlogs from './awscloudwatchlogs/index.ts';
import smtp from './smtp/index.ts';
import splunk from './splunk/index.ts';
import elasticsearch from './elasticsearch/index.ts';
import kafka from './kafka/index.ts';
import stdout from './stdout/index.ts';
import webhook from './webhook/index.ts';

export const outputs: readonly AnyOutputPlugin[] = [stdout, webhook, elasticsearch, splunk, kafka, awssecurityhub, awssqs, awss3, awscloudwatchlogs, smtp];
