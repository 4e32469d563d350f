{{/*
Chart name, overridable with nameOverride.
*/}}
{{- define "streamcast.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified name of the FlinkDeployment. Flink derives its cluster id and the names of the
Kubernetes objects it creates from it and caps the cluster id at 45 characters.
*/}}
{{- define "streamcast.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 45 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 45 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 45 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "streamcast.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "streamcast.selectorLabels" -}}
app.kubernetes.io/name: {{ include "streamcast.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "streamcast.labels" -}}
helm.sh/chart: {{ include "streamcast.chart" . }}
{{ include "streamcast.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "streamcast.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/*
Environment variable carrying the secret Kafka property given as context, e.g.
sasl.jaas.config -> KAFKA_SASL_JAAS_CONFIG.
*/}}
{{- define "streamcast.secretEnvName" -}}
{{- printf "KAFKA_%s" (regexReplaceAll "[^A-Za-z0-9]" . "_" | upper) }}
{{- end }}

{{/*
Secret Kafka properties in use: none unless kafka.existingSecret is set.
*/}}
{{- define "streamcast.secretProperties" -}}
{{- if .Values.kafka.existingSecret }}
{{- toYaml .Values.kafka.secretProperties }}
{{- else }}
{{- "{}" }}
{{- end }}
{{- end }}

{{/*
Flink configuration of the FlinkDeployment: conf/config.yaml (flat keys, a copy of
flink-conf/config.yaml), then the chart's values, then .Values.flinkConfiguration. The process
sizes are left to spec.jobManager/taskManager.resource, from which the operator sets them.
*/}}
{{- define "streamcast.flinkConfiguration" -}}
{{- $conf := .Files.Get "conf/config.yaml" | fromYaml }}
{{- if hasKey $conf "Error" }}
{{- fail (printf "conf/config.yaml: %s" (get $conf "Error")) }}
{{- end }}
{{- $conf = omit $conf "jobmanager.memory.process.size" "taskmanager.memory.process.size" }}
{{- $_ := set $conf "execution.checkpointing.dir" .Values.state.checkpointsDir }}
{{- $_ = set $conf "execution.checkpointing.savepoint-dir" .Values.state.savepointsDir }}
{{- $_ = set $conf "taskmanager.numberOfTaskSlots" .Values.taskManager.slots }}
{{- range $k, $v := .Values.flinkConfiguration }}
{{- $_ = set $conf $k $v }}
{{- end }}
{{- range $k, $v := $conf }}
{{ $k }}: {{ $v | toString | quote }}
{{- end }}
{{- end }}

{{/*
The job's streamcast.yaml. Secret Kafka properties appear as ${KAFKA_...} references, filled in
by the config init container; they are folded block scalars so that any single-line value
(quotes, '#', ':') stays one plain string after substitution.
*/}}
{{- define "streamcast.jobConfig" -}}
{{- $secretProps := include "streamcast.secretProperties" . | fromYaml }}
{{- $config := omit (deepCopy .Values.config) "kafka" }}
{{- $job := get $config "job" | default dict }}
{{- $_ := set $job "parallelism" .Values.job.parallelism }}
{{- $_ = set $config "job" $job -}}
kafka:
  bootstrap-servers: {{ .Values.kafka.bootstrapServers | quote }}
  group-id: {{ .Values.kafka.groupId | quote }}
  topics:
    {{- toYaml .Values.kafka.topics | nindent 4 }}
{{- if or .Values.kafka.properties $secretProps }}
  properties:
{{- range $k, $v := .Values.kafka.properties }}
    {{ $k | quote }}: {{ $v | toString | quote }}
{{- end }}
{{- range $prop, $key := $secretProps }}
    {{ $prop | quote }}: >-
      {{ printf "${%s}" (include "streamcast.secretEnvName" $prop) }}
{{- end }}
{{- else }}
  properties: {}
{{- end }}
{{ toYaml $config }}
{{- end }}
